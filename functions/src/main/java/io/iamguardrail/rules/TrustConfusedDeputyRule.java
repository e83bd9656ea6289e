package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Conditions;
import io.iamguardrail.engine.DocumentRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.Principal;

import java.util.List;
import java.util.Optional;

/**
 * A service principal that acts on behalf of resources (possibly another customer's) trusted without
 * aws:SourceAccount, aws:SourceArn or aws:SourceOrgID. The services come from the knowledge table
 * {@code confused-deputy-services.json}.
 */
final class TrustConfusedDeputyRule implements DocumentRule {

    private static final List<String> SOURCE_KEYS = List.of("aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid",
            "aws:sourceorgpaths");

    static final RuleMetadata META = Meta.trust("TRUST_CONFUSED_DEPUTY", Severity.MEDIUM,
            "Service trust without a source condition",
            "A service that assumes roles for resources in many accounts can be tricked by another customer into"
                    + " using this role (the cross-service confused deputy) unless the trust names the source.",
            "Add a condition on aws:SourceAccount (your account id) and, where possible, aws:SourceArn (the resource"
                    + " that uses the role).",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html");

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        Trust.eachAssumable(policy, doc, (s, p) -> {
            if (p.type() != Principal.Type.SERVICE || p.opaque()
                    || SOURCE_KEYS.stream().anyMatch(k -> Conditions.hasKey(s.conditions(), k))) {
                return;
            }
            String reference = ctx.knowledge().confusedDeputyReference(p.value());
            if (reference != null) {
                ctx.report(policy.source() + "#" + p.at().pointer(), META.severity(), Optional.empty(),
                        policy.source(), p.at(), s.label() + " trusts `" + p.value()
                                + "` without `aws:SourceAccount` or `aws:SourceArn` (see " + reference + ")",
                        List.of());
            }
        });
    }
}
