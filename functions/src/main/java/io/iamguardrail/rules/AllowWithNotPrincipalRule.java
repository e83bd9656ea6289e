package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.DocumentRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.PrincipalSpec;
import io.iamguardrail.policy.Statement;

import java.util.List;
import java.util.Optional;

/** Allow with NotPrincipal: grants to every principal in the world except those listed. */
final class AllowWithNotPrincipalRule implements DocumentRule {

    static final RuleMetadata META = Meta.trust("ALLOW_WITH_NOT_PRINCIPAL", Severity.HIGH,
            "Allow with NotPrincipal",
            "An Allow with NotPrincipal grants access to every principal except the listed ones, including anonymous"
                    + " and other accounts' principals.",
            "Name the principals to allow with Principal; AWS advises against NotPrincipal with Allow.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html");

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        for (Statement s : doc.statements()) {
            if (s.isAllow() && s.principals().orElse(null) instanceof PrincipalSpec.Not not) {
                ctx.report(policy.source() + "#" + s.at().pointer(), META.severity(), Optional.empty(),
                        policy.source(), not.at(), s.label() + " allows every principal except "
                                + not.principals().size() + " listed with `NotPrincipal`", List.of());
            }
        }
    }
}
