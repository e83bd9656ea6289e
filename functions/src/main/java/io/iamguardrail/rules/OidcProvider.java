package io.iamguardrail.rules;

import io.iamguardrail.policy.Condition;
import io.iamguardrail.policy.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Web-identity providers and what a well-scoped trust looks like for each: the subject condition key and the
 * subject prefix that pins one repository, project, workspace or service account.
 *
 * @param repoScoped matches a subject pattern that names one repository (or project, workspace, service account)
 * @param orgScoped  matches a subject pattern that at least names one organisation (group, workspace, namespace)
 * @param isPublic   anyone can get a token from it (a public CI service), so a missing subject is critical
 */
record OidcProvider(String name, Pattern host, Pattern repoScoped, Pattern orgScoped, boolean isPublic) {

    static final List<OidcProvider> KNOWN = List.of(
            new OidcProvider("GitHub Actions", Pattern.compile("token\\.actions\\.githubusercontent\\.com(/.*)?"),
                    Pattern.compile("repo:[^*?/:]+/[^*?/:]+(:.*)?"), Pattern.compile("repo:[^*?/:]+/.*"), true),
            new OidcProvider("GitLab", Pattern.compile("gitlab\\.com"),
                    Pattern.compile("project_path:[^*?:]+/[^*?:]+(:.*)?"), Pattern.compile("project_path:[^*?/:]+/.*"), true),
            new OidcProvider("Terraform Cloud", Pattern.compile("app\\.terraform\\.io"),
                    Pattern.compile("organization:[^*?:]+:project:[^*?:]+:workspace:[^*?:]+(:.*)?"),
                    Pattern.compile("organization:[^*?:]+:.*"), true),
            new OidcProvider("Bitbucket Pipelines", Pattern.compile("api\\.bitbucket\\.org/2\\.0/workspaces/[^/]+/pipelines-config/identity/oidc"),
                    Pattern.compile("\\{[^*?}]+}(:.*)?"), Pattern.compile("\\{[^*?}]+}.*"), false),
            new OidcProvider("CircleCI", Pattern.compile("oidc\\.circleci\\.com/org/[^/]+"),
                    Pattern.compile("org/[^*?/]+/project/[^*?/]+(/.*)?"), Pattern.compile("org/[^*?/]+/.*"), false),
            new OidcProvider("Amazon EKS (IRSA)", Pattern.compile("oidc\\.eks\\.[^.]+\\.amazonaws\\.com/id/[^/]+"),
                    Pattern.compile("system:serviceaccount:[^*?:]+:[^*?:]+"), Pattern.compile("system:serviceaccount:[^*?:]+:.*"), false),
            new OidcProvider("Google", Pattern.compile("accounts\\.google\\.com"),
                    Pattern.compile("[^*?]+"), Pattern.compile("[^*?]+"), true));

    /** The provider host of a Federated principal: the part after {@code oidc-provider/}, or the value itself. */
    static String hostOf(String federated) {
        int i = federated.indexOf(":oidc-provider/");
        String host = i >= 0 ? federated.substring(i + ":oidc-provider/".length()) : federated;
        if (host.startsWith("https://")) {
            host = host.substring(8);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    static boolean isOidc(String federated) {
        return federated.contains(":oidc-provider/") || KNOWN.stream().anyMatch(p -> p.host.matcher(hostOf(federated)).matches());
    }

    static Optional<OidcProvider> of(String host) {
        return KNOWN.stream().filter(p -> p.host.matcher(host).matches()).findFirst();
    }

    /** The positive conditions on {@code host:claim} ({@code StringEquals}, {@code StringLike}, ...). */
    static List<Condition> claims(Statement s, String host, String claim) {
        String key = (host + ":" + claim).toLowerCase(Locale.ROOT);
        List<Condition> out = new ArrayList<>();
        for (Condition c : s.conditions()) {
            if (c.keyLower().equals(key) && !c.isNegated() && !c.operator().equals("Null")) {
                out.add(c);
            }
        }
        return out;
    }
}
