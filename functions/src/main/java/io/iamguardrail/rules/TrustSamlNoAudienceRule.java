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

/** SAML federation without {@code SAML:aud}: assertions meant for another service provider are accepted. */
final class TrustSamlNoAudienceRule implements DocumentRule {

    static final RuleMetadata META = Meta.trust("TRUST_SAML_NO_AUDIENCE", Severity.MEDIUM,
            "SAML trust without an audience",
            "Without a `SAML:aud` condition the role accepts SAML assertions the identity provider issued for other"
                    + " endpoints, not only for AWS sign-in.",
            "Add StringEquals on `SAML:aud` with `https://signin.aws.amazon.com/saml` (or your regional sign-in"
                    + " endpoint).",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html");

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        Trust.eachAssumable(policy, doc, (s, p) -> {
            if (p.type() == Principal.Type.FEDERATED && p.value().contains(":saml-provider/")
                    && !Conditions.hasKey(s.conditions(), "saml:aud")) {
                ctx.report(policy.source() + "#" + p.at().pointer(), META.severity(), Optional.empty(),
                        policy.source(), p.at(), s.label() + " trusts SAML provider `" + p.value()
                                + "` without a `SAML:aud` condition", List.of());
            }
        });
    }
}
