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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Trust to Cognito identity pools without the {@code aud} (which pool) and {@code amr} (which users) conditions. */
final class TrustCognitoUnscopedRule implements DocumentRule {

    static final String COGNITO = "cognito-identity.amazonaws.com";

    static final RuleMetadata META = Meta.trust("TRUST_COGNITO_UNSCOPED", Severity.HIGH,
            "Cognito identity trust without aud and amr",
            "Without `cognito-identity.amazonaws.com:aud` any identity pool in any account can obtain the role, and"
                    + " without `amr` both unauthenticated and authenticated identities can.",
            "Add StringEquals on `cognito-identity.amazonaws.com:aud` (your identity pool id) and ForAnyValue:StringLike"
                    + " on `cognito-identity.amazonaws.com:amr` (`authenticated` or `unauthenticated`).",
            "https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html");

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        Trust.eachAssumable(policy, doc, (s, p) -> {
            if (p.type() != Principal.Type.FEDERATED || !p.value().equalsIgnoreCase(COGNITO)) {
                return;
            }
            List<String> missing = new ArrayList<>();
            if (!Conditions.hasKey(s.conditions(), COGNITO + ":aud")) {
                missing.add("`" + COGNITO + ":aud`");
            }
            if (!Conditions.hasKey(s.conditions(), COGNITO + ":amr")) {
                missing.add("`" + COGNITO + ":amr`");
            }
            if (!missing.isEmpty()) {
                ctx.report(policy.source() + "#" + p.at().pointer(), META.severity(), Optional.empty(),
                        policy.source(), p.at(), s.label() + " trusts Cognito identity pools without "
                                + String.join(" and ", missing), List.of());
            }
        });
    }
}
