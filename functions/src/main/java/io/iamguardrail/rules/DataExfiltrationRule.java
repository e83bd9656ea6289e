package io.iamguardrail.rules;

import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.engine.PermissionRule;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.Severity;
import io.iamguardrail.engine.Subject;

import java.util.BitSet;

/** Reads of secrets or data on all resources: the actions of the knowledge table `dataExfiltration`. */
final class DataExfiltrationRule implements PermissionRule {

    static final RuleMetadata META = Meta.permission("DATA_EXFILTRATION", Severity.MEDIUM,
            "Reads of secrets or data on all resources",
            "Reading every object, secret, parameter or key (s3:GetObject, secretsmanager:GetSecretValue, ssm:GetParameter, kms:Decrypt) on all resources turns one compromised credential into a data breach.",
            "Name the buckets, secrets, parameters and keys the workload reads, instead of `*`.",
            "https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/data-exfiltration.md");

    private volatile BitSet actions;

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(Permissions p, Subject subject, RuleContext ctx) {
        BitSet risky = actions;
        if (risky == null) {
            risky = Knowledge.indexes(ctx.knowledge().dataExfiltration());
            actions = risky;
        }
        GrantScan.report(p, subject, ctx, risky, (where, sample) -> where + " allows reading data or secrets on all resources: " + sample);
    }
}
