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

/** Trust to the own account root: every principal of the account with sts:AssumeRole on the role may assume it. */
final class TrustAccountRootRule implements DocumentRule {

    static final RuleMetadata META = Meta.trust("TRUST_ACCOUNT_ROOT", Severity.LOW,
            "Role trusts its own account root",
            "Trusting the account root delegates the decision to identity policies: any user or role of the account"
                    + " whose policies allow sts:AssumeRole on it (or on `*`) can assume the role.",
            "Name the roles or users that may assume it, or add an aws:PrincipalArn condition.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts");

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        Trust.eachAssumable(policy, doc, (s, p) -> {
            if (p.opaque() || !p.isAccountRoot() || !Trust.isOwn(p.account().orElseThrow(), ctx)) {
                return;
            }
            Optional<String> lowered = Trust.limitation(s);
            ctx.report(policy.source() + "#" + p.at().pointer(), META.severity(), lowered, policy.source(), p.at(),
                    s.label() + " trusts the account root `" + p.value()
                            + "`: any principal of the account allowed sts:AssumeRole may assume the role",
                    List.of());
        });
    }
}
