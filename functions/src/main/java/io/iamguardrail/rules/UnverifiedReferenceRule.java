package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.ParseRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.policy.Diagnostic;

import java.util.List;
import java.util.Optional;

/**
 * A policy a principal gets that cannot be read before deployment: a policy ARN from a template parameter or an
 * import, a customer managed policy defined outside the template, an unknown SAM policy. It may grant anything,
 * so it is reported where it is written, never taken as harmless.
 */
final class UnverifiedReferenceRule implements ParseRule {

    static final RuleMetadata META = new RuleMetadata("UNVERIFIED_REFERENCE", Severity.MEDIUM, "permission",
            "Policy that cannot be resolved before deployment",
            "The template attaches a policy whose content is not in the template or the bundled AWS managed"
                    + " policies, so the guardrail cannot tell what it grants; it might be AdministratorAccess.",
            "Attach the policy by a literal AWS managed policy ARN or define it in the template; otherwise review"
                    + " the policy it resolves to (or check the deployed role with `audit`).",
            List.of("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, RuleContext ctx) {
        if (policy.origin() != SourcedPolicy.Origin.UNRESOLVED) {
            return;
        }
        for (Diagnostic d : policy.parsed().diagnostics()) {
            ctx.report(policy.source() + "#" + d.at().pointer(), META.severity(), Optional.empty(), policy.source(),
                    d.at(), d.message(), List.of());
        }
    }
}
