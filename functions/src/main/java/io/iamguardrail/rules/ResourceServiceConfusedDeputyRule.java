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
 * A resource policy that lets an AWS service act on the resource without naming the source account or resource:
 * the service acts for every customer, so another account's bucket, rule or topic can make it use this resource.
 */
final class ResourceServiceConfusedDeputyRule implements DocumentRule {

    private static final List<String> SOURCE_KEYS = List.of("aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid",
            "aws:sourceorgpaths", "aws:sourceowner");

    static final RuleMetadata META = new RuleMetadata("RESOURCE_SERVICE_CONFUSED_DEPUTY", Severity.MEDIUM, "resource",
            "Service granted access without a source condition",
            "A service principal (s3.amazonaws.com, events.amazonaws.com, sns.amazonaws.com...) acts on behalf of"
                    + " resources in every account; without aws:SourceAccount or aws:SourceArn, another customer's"
                    + " resource can make the service deliver to, invoke or read this one (the cross-service"
                    + " confused deputy).",
            "Add a condition on aws:SourceAccount (your account id) and aws:SourceArn (the resource that calls).",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        ResourceAccess.eachGranted(policy, doc, (s, p) -> {
            if (p.type() != Principal.Type.SERVICE || p.opaque()
                    || SOURCE_KEYS.stream().anyMatch(k -> Conditions.hasKey(s.conditions(), k))) {
                return;
            }
            String reference = ctx.knowledge().confusedDeputyReference(p.value());
            ctx.report(policy.source() + "#" + p.at().pointer(), META.severity(), Optional.empty(),
                    policy.source(), p.at(), s.label() + " of " + policy.name() + " lets `" + p.value() + "` use "
                            + ResourceAccess.actions(s) + " without `aws:SourceAccount` or `aws:SourceArn`"
                            + (reference == null ? "" : " (see " + reference + ")"), List.of());
        });
    }
}
