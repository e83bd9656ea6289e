package io.iamguardrail.rules;

import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;

/** Reads of secrets or data on all resources: the actions of the knowledge table `dataExfiltration`. */
final class DataExfiltrationRule extends RiskTableRule {

    static final RuleMetadata META = Meta.permission("DATA_EXFILTRATION", Severity.MEDIUM,
            "Reads of secrets or data on all resources",
            "Reading every object, secret, parameter or key (s3:GetObject, secretsmanager:GetSecretValue, ssm:GetParameter, kms:Decrypt) on all resources turns one compromised credential into a data breach.",
            "Name the buckets, secrets, parameters and keys the workload reads, instead of `*`.",
            "https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/data-exfiltration.md")
            .with(RuleTrait.IMPLIED_BY_ADMIN);

    DataExfiltrationRule() {
        super(META, Knowledge::dataExfiltration, "allows reading data or secrets");
    }
}
