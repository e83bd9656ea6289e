package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.ParseRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.policy.Diagnostic;

import java.util.List;
import java.util.Optional;

/** The document is not a valid IAM policy: each problem the parser found, at its location. */
final class MalformedPolicyRule implements ParseRule {

    static final RuleMetadata META = Meta.permission("MALFORMED_POLICY", Severity.HIGH,
            "Not a valid IAM policy",
            "IAM rejects the document (or reads it differently from its author), and statements the guardrail cannot"
                    + " read are not checked.",
            "Fix the element at the location given; the policy grammar is in the IAM User Guide.",
            Meta.POLICY_GRAMMAR).with(RuleTrait.AWS_AUTHORED_NOISE, RuleTrait.KEPT_WHEN_DORMANT);

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, RuleContext ctx) {
        if (policy.origin() == SourcedPolicy.Origin.UNRESOLVED) {
            return; // not a document that is malformed but one that cannot be read: UNVERIFIED_REFERENCE
        }
        for (Diagnostic d : policy.parsed().diagnostics()) {
            ctx.report(policy.source() + "#" + d.at().pointer() + "#" + d.message(), META.severity(), Optional.empty(),
                    policy.source(), d.at(), d.message(), List.of());
        }
    }
}
