package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.DocumentRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyDocument;

import java.util.List;
import java.util.Optional;

/** Hygiene: an inline policy embedded in a role, user or group. */
final class InlinePolicyRule implements DocumentRule {

    static final RuleMetadata META = Meta.permission("INLINE_POLICY", Severity.LOW,
            "Inline policy",
            "Inline policies are invisible to policy-level reviews and reuse, are not versioned, and are deleted with"
                    + " their principal; customer-managed policies can be reviewed, versioned and rolled back.",
            "Move the statements into a customer-managed policy and attach it.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html");

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        if (policy.origin() != SourcedPolicy.Origin.INLINE) {
            return;
        }
        ctx.report(policy.source() + "#" + doc.at().pointer(), META.severity(), Optional.empty(), policy.source(),
                doc.at(), "inline policy `" + policy.name() + "` is embedded in " + subject.principalLabel()
                        + "; prefer a customer-managed policy", List.of());
    }
}
