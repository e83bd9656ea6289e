package io.iamguardrail.rules;

import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.engine.PermissionRule;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.Severity;
import io.iamguardrail.engine.Subject;

import java.util.BitSet;

/** Actions that return credentials without resource scope: the actions of the knowledge table `credentialExposure`. */
final class CredentialsExposureRule implements PermissionRule {

    static final RuleMetadata META = Meta.permission("CREDENTIALS_EXPOSURE", Severity.HIGH,
            "Actions that return credentials without resource scope",
            "Actions such as iam:CreateAccessKey, ecr:GetAuthorizationToken or ec2:GetPasswordData hand out credentials; on every resource they let the holder act as other principals.",
            "Scope credential-returning actions to the principal's own resources (for example arn:aws:iam::ACCOUNT:user/${aws:username}) or remove them.",
            "https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/credentials-exposure.md");

    private volatile BitSet actions;

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(Permissions p, Subject subject, RuleContext ctx) {
        BitSet risky = actions;
        if (risky == null) {
            risky = Knowledge.indexes(ctx.knowledge().credentialExposure());
            actions = risky;
        }
        GrantScan.report(p, subject, ctx, risky, (where, sample) -> where + " allows actions that return credentials on all resources: " + sample);
    }
}
