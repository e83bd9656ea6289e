package io.iamguardrail.config;

import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exemption and break-glass patterns: what they may name, and what a configuration may not write. */
class PrincipalPatternTest {

    private final ConfigLoader loader = new ConfigLoader(Rules.ids());

    @Test
    void aLeadingWildcardIsRefusedAtLoadTimeWithWhereWhatWasExpectedAndWhatWasFound() {
        assertThatThrownBy(() -> loader.load("""
                exemptions:
                  - principal: "*-breakglass"
                    rules: [ADMIN_ACCESS]
                    reason: break-glass roles
                """, "c.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("c.yaml:2:16: expected `principal` to be a principal ARN, a name, or a pattern naming an"
                        + " account or a path (`arn:aws:iam::123456789012:role/break-glass`, `break-glass`,"
                        + " `*:role/break-glass/*`) but found `*-breakglass`: a pattern starting with `*` that names"
                        + " neither a 12-digit account nor a path (anyone who may create a role can choose a name it matches)");
        assertThatThrownBy(() -> loader.load("remediation:\n  breakGlassPrincipals: [\"*breakglass*\"]\n", "c.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("c.yaml:2:26: expected `breakGlassPrincipals` to be a principal ARN")
                .hasMessageContaining("but found `*breakglass*`");
        for (String refused : List.of("*", "*/x", "*role/*-breakglass", "*/*/admin", "?*-breakglass", "??s-breakglass", " ")) {
            assertThat(PrincipalPattern.problem(refused)).as(refused).isPresent();
        }
    }

    @Test
    void aLeadingWildcardThatNamesAnAccountOrAPathIsAccepted() throws Exception {
        GuardrailConfig c = loader.load("""
                exemptions:
                  - principal: "*:role/break-glass/*"
                    rules: [ADMIN_ACCESS]
                    reason: roles under the break-glass path, created by the platform team only
                  - principal: "*123456789012:role/ops-admin"
                    rules: [ADMIN_ACCESS]
                    reason: the ops admin role of the sandbox account
                remediation:
                  breakGlassPrincipals: ["arn:aws:iam::123456789012:role/break-glass", "break-glass"]
                """, "c.yaml");
        assertThat(c.exemptions()).extracting(GuardrailConfig.Exemption::principal)
                .containsExactly("*:role/break-glass/*", "*123456789012:role/ops-admin");
        assertThat(c.remediation().breakGlassPrincipals()).hasSize(2);
    }

    @Test
    void aNameMatchesOnlyThePrincipalsOwnNameAndNeverAPolicys() {
        String role = "arn:aws:iam::123456789012:role/ops/break-glass";
        assertThat(PrincipalPattern.matches("break-glass", role)).isTrue();
        assertThat(PrincipalPattern.matches("BREAK-GLASS", role)).isTrue();
        assertThat(PrincipalPattern.matches("*:role/ops/*", role)).isTrue();
        assertThat(PrincipalPattern.matches("arn:aws:iam::123456789012:role/ops/break-glass", role)).isTrue();
        // A policy is no principal: its name, chosen by whoever created it, exempts nothing.
        assertThat(PrincipalPattern.matches("break-glass", "arn:aws:iam::123456789012:policy/break-glass")).isFalse();
        // The name is the last segment: a path segment named like the principal is not its name.
        assertThat(PrincipalPattern.matches("break-glass", "arn:aws:iam::123456789012:role/break-glass/app")).isFalse();
        assertThat(PrincipalPattern.matches("break-glass", "arn:aws:iam::123456789012:role/app")).isFalse();
    }
}
