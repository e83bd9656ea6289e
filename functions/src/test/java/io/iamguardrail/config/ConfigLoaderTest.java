package io.iamguardrail.config;

import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    private final ConfigLoader loader = new ConfigLoader(Rules.ids());

    @Test
    void theShippedDefaultConfigIsTheDefaults() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/default-config.yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(loader.load(yaml, "default-config.yaml")).isEqualTo(GuardrailConfig.defaults());
        }
    }

    @Test
    void aFullConfigIsRead() throws Exception {
        GuardrailConfig c = loader.load("""
                mode: REMEDIATE
                alertThreshold: high
                accountId: "111122223333"
                trustedAccountIds: ["444455556666"]
                organizationId: o-abcdefghij
                trustedOidcSubjects: ["repo:acme/*"]
                forbiddenActions: ["iam:CreateUser"]
                rules:
                  INLINE_POLICY: { enabled: false, severity: INFO, remediate: false }
                exemptions:
                  - principal: "arn:aws:iam::111122223333:role/break-glass"
                    rules: [ADMIN_ACCESS]
                    reason: break glass
                    expires: 2027-01-31
                """, "c.yaml");
        assertThat(c.mode()).isEqualTo(GuardrailConfig.Mode.REMEDIATE);
        assertThat(c.alertThreshold()).isEqualTo(Severity.HIGH);
        assertThat(c.accountId()).contains("111122223333");
        assertThat(c.enabled("INLINE_POLICY")).isFalse();
        assertThat(c.exemption("ADMIN_ACCESS", "arn:aws:iam::111122223333:role/break-glass", LocalDate.of(2027, 1, 30))).isPresent();
        assertThat(c.exemption("ADMIN_ACCESS", "arn:aws:iam::111122223333:role/break-glass", LocalDate.of(2027, 1, 31))).isEmpty();
        assertThat(c.exemption("PRIVILEGE_ESCALATION", "arn:aws:iam::111122223333:role/break-glass", LocalDate.of(2027, 1, 1))).isEmpty();
    }

    @Test
    void anUnknownKeyFailsWithTheValidOnes() {
        assertThatThrownBy(() -> loader.load("trustedAccounts: []\n", "c.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("c.yaml:1:18: unknown key `trustedAccounts` in the configuration (did you mean `trustedAccountIds`?);"
                        + " valid keys: mode, alertThreshold, accountId, trustedAccountIds, organizationId,"
                        + " trustedOidcSubjects, forbiddenActions, rules, exemptions, remediation (see config.schema.json)");
    }

    @Test
    void anUnknownRuleIdFailsWithTheValidOnes() {
        assertThatThrownBy(() -> loader.load("rules:\n  ADMIN_ACESS: { enabled: false }\n", "c.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("c.yaml:2:16: expected a rule id in `rules` but found `ADMIN_ACESS` (did you mean `ADMIN_ACCESS`?); valid rule ids: MALFORMED_POLICY, ADMIN_ACCESS,");
    }

    @Test
    void badValuesSayWhatWasExpected() {
        assertThatThrownBy(() -> loader.load("accountId: 12345\n", "c.yaml"))
                .hasMessageContaining("expected `accountId` to hold 12-digit account ids (quoted in YAML) but found `12345`");
        assertThatThrownBy(() -> loader.load("exemptions:\n  - principal: x\n    rules: [ADMIN_ACCESS]\n", "c.yaml"))
                .hasMessageContaining("expected `reason` in the exemption but found none");
        assertThatThrownBy(() -> loader.load("alertThreshold: URGENT\n", "c.yaml"))
                .hasMessageContaining("expected a severity (CRITICAL, HIGH, MEDIUM, LOW, INFO) but found `URGENT`");
        assertThatThrownBy(() -> loader.load("mode: [\n", "c.yaml")).isInstanceOf(ConfigException.class);
    }
}
