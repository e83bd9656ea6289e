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

/** Trust to an account that is neither the own account nor one the configuration trusts. */
final class TrustExternalAccountRule implements DocumentRule {

    static final RuleMetadata META = Meta.trust("TRUST_EXTERNAL_ACCOUNT", Severity.HIGH,
            "Role assumable from an external account",
            "Principals of another account can assume the role; whoever controls that account (or a compromised"
                    + " identity in it) gets the role's permissions here.",
            "Remove the account if it is not a known partner; otherwise add it to trustedAccountIds (or trust your"
                    + " organisation with aws:PrincipalOrgID), and name the exact role rather than the account root.",
            Meta.ROLE_TRUST, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html");

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        Trust.eachAssumable(policy, doc, (s, p) -> {
            if (!Trust.isExternal(p, ctx) || Trust.limitedToOwnAccountOrOrganisation(s, ctx)) {
                return;
            }
            String account = p.account().orElseThrow();
            Optional<String> lowered = Trust.ownAccountUnknown(ctx).or(() -> Trust.limitation(s));
            String who = p.isAccountRoot() ? "any principal of account `" + account + "`" : "`" + p.value() + "`";
            ctx.report(policy.source() + "#" + p.at().pointer(), META.severity(), lowered, policy.source(), p.at(),
                    s.label() + " lets " + who + " assume the role, and `" + account
                            + "` is not a trusted account", List.of());
        });
    }
}
