package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.PrincipalRule;
import io.iamguardrail.engine.PrincipalView;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.Principal;
import io.iamguardrail.policy.Statement;

import java.util.List;
import java.util.Optional;

/** A privileged role whose trust is public, external or an unscoped OIDC provider: worse than each part. */
final class PrivilegedRoleExposedRule implements PrincipalRule {

    static final RuleMetadata META = new RuleMetadata("PRIVILEGED_ROLE_EXPOSED", Severity.CRITICAL, "principal",
            "Privileged role exposed outside the account",
            "The role can take over the account, and principals outside the account (anyone, another account, or any"
                    + " workload of a public CI provider) can assume it.",
            "Restrict the trust to named principals of your account or organisation first; then reduce the role's"
                    + " permissions.",
            List.of(Meta.ROLE_TRUST));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(Subject subject, PrincipalView view, RuleContext ctx) {
        if (view.privilegedBecause().isEmpty() || view.trust().isEmpty()) {
            return;
        }
        String source = view.trustPolicy().orElseThrow().source();
        for (Statement s : view.trust().get().statements()) {
            if (!Trust.grantsAssume(s)) {
                continue;
            }
            for (Principal p : Trust.listed(s)) {
                String exposure = exposure(s, p, ctx);
                if (exposure != null) {
                    ctx.report("exposed", META.severity(), Optional.empty(), source, p.at(), s.label() + " exposes "
                            + subject.principalLabel() + " to " + exposure + ", and " + view.privilegedBecause().get(),
                            List.of());
                    return;
                }
            }
        }
    }

    private static String exposure(Statement s, Principal p, RuleContext ctx) {
        if (p.isEveryone() && !Trust.limitedToOwnAccountOrOrganisation(s, ctx)) {
            return "any AWS principal (`*`)";
        }
        if (Trust.isExternal(p, ctx) && ctx.ownAccount().isPresent() && !Trust.limitedToOwnAccountOrOrganisation(s, ctx)) {
            return "account `" + p.account().orElseThrow() + "`";
        }
        for (TrustOidcUnscopedRule.Exposure e : TrustOidcUnscopedRule.assess(s, p, ctx)) {
            if (e.severity().atLeast(Severity.HIGH)) {
                return "`" + p.value() + "` (the statement " + e.why() + ")";
            }
        }
        return null;
    }
}
