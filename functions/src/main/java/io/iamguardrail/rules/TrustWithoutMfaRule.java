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

/** A privileged role that IAM users and roles may assume without MFA. */
final class TrustWithoutMfaRule implements PrincipalRule {

    static final RuleMetadata META = new RuleMetadata("TRUST_WITHOUT_MFA", Severity.HIGH, "principal",
            "Privileged role assumable without MFA",
            "A stolen access key of any principal allowed to assume this role becomes administrator-level access;"
                    + " requiring MFA to assume privileged roles stops that.",
            "Add `Bool {\"aws:MultiFactorAuthPresent\": \"true\"}` to the trust statement for human principals, or"
                    + " narrow the role's permissions.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html"));

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
            if (!Trust.grantsAssume(s) || Trust.requiresMfa(s)) {
                continue;
            }
            for (Principal p : Trust.listed(s)) {
                if (p.type() != Principal.Type.AWS || p.opaque()) {
                    continue;
                }
                ctx.report(source + "#" + p.at().pointer(), META.severity(), Optional.empty(), source, p.at(),
                        s.label() + " lets `" + p.value() + "` assume " + subject.principalLabel()
                                + " without MFA, and " + view.privilegedBecause().get(), List.of());
                break;
            }
        }
    }
}
