package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Conditions;
import io.iamguardrail.engine.DocumentRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyDocument;

import java.util.List;

/** Third-party account trust without {@code sts:ExternalId}: the confused-deputy problem of SaaS integrations. */
final class TrustMissingExternalIdRule implements DocumentRule {

    static final RuleMetadata META = Meta.trust("TRUST_MISSING_EXTERNAL_ID", Severity.MEDIUM,
            "Third-party trust without an external id",
            "When a third party's account assumes roles for many customers, an external id is what stops another of"
                    + " its customers from tricking it into using your role (the confused deputy).",
            "Add a `StringEquals` condition on `sts:ExternalId` with the value the third party gives you.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html");

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        Trust.eachAssumable(policy, doc, (s, p) -> {
            if (!Trust.isExternal(p, ctx) || Conditions.hasKey(s.conditions(), "sts:externalid")
                    || Trust.limitedToOwnAccountOrOrganisation(s, ctx)) {
                return;
            }
            ctx.report(policy.source() + "#" + p.at().pointer(), META.severity(), Trust.ownAccountUnknown(ctx),
                    policy.source(), p.at(), s.label() + " trusts account `" + p.account().orElseThrow()
                            + "` without an `sts:ExternalId` condition", List.of());
        });
    }
}
