package io.iamguardrail.rules;

import io.iamguardrail.catalog.Glob;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.DocumentRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.Condition;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.Principal;
import io.iamguardrail.policy.Statement;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Web-identity trust (GitHub Actions, GitLab, Terraform Cloud, Bitbucket, CircleCI, EKS IRSA, any OIDC provider)
 * without the provider's subject condition, with a subject wildcard that spans repositories or organisations, or
 * without an audience condition.
 */
final class TrustOidcUnscopedRule implements DocumentRule {

    static final RuleMetadata META = Meta.trust("TRUST_OIDC_UNSCOPED", Severity.CRITICAL,
            "Web-identity trust not scoped to a subject",
            "Without a `sub` condition, every workload that can get a token from the provider (for GitHub: every"
                    + " repository on github.com) can assume the role; a subject wildcard across repositories or"
                    + " organisations is nearly as open.",
            "Add a StringEquals (or StringLike without a leading wildcard) condition on `<provider>:sub` naming the"
                    + " repository and branch or environment, and a StringEquals condition on `<provider>:aud`.",
            "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html");

    /** How one web-identity principal is scoped: worst severity and why, or empty when it is well scoped. */
    record Exposure(Severity severity, String why, String key) {
    }

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        Trust.eachAssumable(policy, doc, (s, p) -> {
            for (Exposure e : assess(s, p, ctx)) {
                ctx.report(policy.source() + "#" + p.at().pointer() + "#" + e.key(), e.severity(), Optional.empty(),
                        policy.source(), p.at(), s.label() + " " + e.why(), List.of());
            }
        });
    }

    /** The problems of one principal: subject first (the severe one), then audience. */
    static List<Exposure> assess(Statement s, Principal p, RuleContext ctx) {
        if (p.type() != Principal.Type.FEDERATED) {
            return List.of();
        }
        String host;
        if (p.opaque()) {
            // `Federated: !Ref GithubOidc`: the provider is named by the condition keys, if any.
            if (!webIdentity(s)) {
                return List.of();
            }
            Optional<String> named = hostFromConditions(s);
            if (named.isEmpty()) {
                return List.of(new Exposure(Severity.HIGH, "trusts the web-identity provider `" + p.value()
                        + "` without any condition on the token's subject or audience", "sub"));
            }
            host = named.get();
            if (host.equals(TrustCognitoUnscopedRule.COGNITO)) {
                return List.of();
            }
        } else if (OidcProvider.isOidc(p.value())) {
            host = OidcProvider.hostOf(p.value());
        } else {
            return List.of();
        }
        Optional<OidcProvider> provider = OidcProvider.of(host);
        String name = provider.map(OidcProvider::name).orElse("`" + host + "`");
        boolean isPublic = provider.map(OidcProvider::isPublic).orElse(false);
        List<Condition> subjects = OidcProvider.claims(s, host, "sub");
        Exposure subjectProblem = null;
        if (subjects.isEmpty()) {
            subjectProblem = new Exposure(isPublic ? Severity.CRITICAL : Severity.HIGH, "trusts " + name
                    + " without a `" + host + ":sub` condition, so any " + (isPublic ? "repository or user of the provider"
                    : "workload the provider issues tokens to") + " can assume the role", "sub");
        } else {
            for (Condition c : subjects) {
                // With StringEquals a `*` is a literal character, so only StringLike values can be wildcards.
                if (!c.operator().startsWith("StringLike")) {
                    continue;
                }
                for (String value : c.values()) {
                    if (trusted(value, ctx)) {
                        continue;
                    }
                    OidcProvider known = provider.orElse(null);
                    boolean spansOrganisations = known == null ? value.startsWith("*") || value.startsWith("?")
                            : !known.orgScoped().matcher(value).matches();
                    if (spansOrganisations) {
                        subjectProblem = new Exposure(Severity.CRITICAL, "trusts " + name + " with subject `" + value
                                + "`, a wildcard that spans organisations", "sub");
                    } else if (known != null && !known.repoScoped().matcher(value).matches()
                            && (subjectProblem == null || subjectProblem.severity() != Severity.CRITICAL)) {
                        subjectProblem = new Exposure(Severity.HIGH, "trusts " + name + " with subject `" + value
                                + "`, a wildcard that spans every repository (project) of the organisation", "sub");
                    }
                }
            }
        }
        List<Condition> audiences = OidcProvider.claims(s, host, "aud");
        if (audiences.isEmpty()) {
            audiences = OidcProvider.claims(s, host, "oaud"); // Google's original audience claim
        }
        Exposure audienceProblem = audiences.isEmpty() ? new Exposure(Severity.MEDIUM, "trusts " + name
                + " without a `" + host + ":aud` condition on the token's audience", "aud") : null;
        if (subjectProblem != null && audienceProblem != null) {
            return List.of(subjectProblem, audienceProblem);
        }
        if (subjectProblem != null) {
            return List.of(subjectProblem);
        }
        return audienceProblem == null ? List.of() : List.of(audienceProblem);
    }

    private static boolean webIdentity(Statement s) {
        return s.actions().patterns().stream().anyMatch(a -> a.isEverything()
                || (a.service().equals("sts") && Glob.matches(a.name(), "assumerolewithwebidentity")));
    }

    /** {@code token.actions.githubusercontent.com} from a condition key such as {@code token.actions.githubusercontent.com:sub}. */
    private static Optional<String> hostFromConditions(Statement s) {
        for (Condition c : s.conditions()) {
            String key = c.keyLower();
            int colon = key.lastIndexOf(':');
            if (colon > 0 && key.substring(0, colon).contains(".")) {
                String claim = key.substring(colon + 1);
                if (claim.equals("sub") || claim.equals("aud") || claim.equals("amr") || claim.equals("oaud")) {
                    return Optional.of(key.substring(0, colon));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean trusted(String subject, RuleContext ctx) {
        for (String pattern : ctx.config().trustedOidcSubjects()) {
            if (Glob.matches(pattern.toLowerCase(Locale.ROOT), subject.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
