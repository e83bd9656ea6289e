package io.iamguardrail.rules;

import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;

/** Actions that return credentials without resource scope: the actions of the knowledge table `credentialExposure`. */
final class CredentialsExposureRule extends RiskTableRule {

    static final RuleMetadata META = Meta.permission("CREDENTIALS_EXPOSURE", Severity.HIGH,
            "Actions that return credentials without resource scope",
            "Actions such as iam:CreateAccessKey, ecr:GetAuthorizationToken or ec2:GetPasswordData hand out credentials; on every resource they let the holder act as other principals.",
            "Scope credential-returning actions to the principal's own resources (for example arn:aws:iam::ACCOUNT:user/${aws:username}) or remove them.",
            "https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/credentials-exposure.md")
            .with(RuleTrait.IMPLIED_BY_ADMIN);

    CredentialsExposureRule() {
        super(META, Knowledge::credentialExposure, "allows actions that return credentials");
    }
}
