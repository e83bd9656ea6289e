package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.DocumentRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.Principal;

import java.util.List;
import java.util.Optional;

/** {@code Principal: "*"} or {@code {"AWS": "*"}}: anyone with an AWS account may assume the role. */
final class TrustAnyPrincipalRule implements DocumentRule {

    static final RuleMetadata META = Meta.trust("TRUST_ANY_PRINCIPAL", Severity.CRITICAL,
            "Role assumable by any AWS principal",
            "A trust policy with Principal `*` lets any principal of any AWS account assume the role; without a"
                    + " condition on the caller's organisation or account it is public.",
            "Name the principals that may assume the role; if a wildcard is unavoidable, add aws:PrincipalOrgID or"
                    + " aws:PrincipalAccount conditions.",
            Meta.ROLE_TRUST, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid");

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        Trust.eachAssumable(policy, doc, (s, p) -> {
            if (!p.isEveryone()) {
                return;
            }
            if (Trust.limitedToOwnAccountOrOrganisation(s, ctx)) {
                return;
            }
            Optional<String> lowered = Trust.limitation(s);
            ctx.report(policy.source() + "#" + p.at().pointer(), META.severity(), lowered, policy.source(), p.at(),
                    s.label() + " lets any AWS principal (`*`) assume the role", List.of());
        });
    }
}
