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

/** A resource policy that grants to an account that is neither the own account nor a configured trusted one. */
final class ResourceCrossAccountRule implements DocumentRule {

    static final RuleMetadata META = new RuleMetadata("RESOURCE_CROSS_ACCOUNT", Severity.HIGH, "resource",
            "Resource shared with an untrusted account",
            "A resource policy naming another account gives that account's principals access without any IAM"
                    + " policy of yours in the way: an unknown account here is data or keys shared outside.",
            "Remove the account if it is not a known partner; otherwise add it to trustedAccountIds (or grant to"
                    + " your organisation with aws:PrincipalOrgID).",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        ResourceAccess.eachGranted(policy, doc, (s, p) -> {
            if (!Trust.isExternal(p, ctx) || Trust.limitedToOwnAccountOrOrganisation(s, ctx)) {
                return;
            }
            Optional<String> lowered = Trust.ownAccountUnknown(ctx)
                    .or(() -> ResourceAccess.narrowing(s).map(c -> "limited by condition `" + c.key() + "` (" + c.written() + ")"));
            ctx.report(policy.source() + "#" + p.at().pointer(), META.severity(), lowered, policy.source(), p.at(),
                    s.label() + " of " + policy.name() + " grants " + ResourceAccess.actions(s) + " to `" + p.value()
                            + "`, and `" + p.account().orElse("?") + "` is not a trusted account", List.of());
        });
    }
}
