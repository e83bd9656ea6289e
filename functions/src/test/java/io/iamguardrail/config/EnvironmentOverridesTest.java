package io.iamguardrail.config;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironmentOverridesTest {

    @Test
    void templateParametersOverrideTheConfigurationFile() throws ConfigException {
        GuardrailConfig config = EnvironmentOverrides.apply(GuardrailConfig.defaults(), Map.of(
                "MODE", "REMEDIATE", "ALERT_THRESHOLD", "high",
                "TRUSTED_ACCOUNT_IDS", "111122223333, 444455556666",
                "EXEMPT_PRINCIPAL_ARNS", "arn:aws:iam::123456789012:role/break-glass",
                "MAX_REMEDIATIONS_PER_MINUTE", "3",
                "QUARANTINE_POLICY_ARN", "arn:aws:iam::123456789012:policy/guardrail-quarantine",
                "GUARDRAIL_ROLE_ARN", "arn:aws:iam::123456789012:role/guardrail-evaluator"));

        assertThat(config.mode()).isEqualTo(GuardrailConfig.Mode.REMEDIATE);
        assertThat(config.alertThreshold()).isEqualTo(Severity.HIGH);
        assertThat(config.trustedAccountIds()).containsExactlyInAnyOrder("111122223333", "444455556666");
        assertThat(config.exemption("ADMIN_ACCESS", "arn:aws:iam::123456789012:role/break-glass", LocalDate.now()))
                .hasValueSatisfying(e -> assertThat(e.reason()).contains("break-glass"));
        assertThat(config.exemption("ADMIN_ACCESS", "arn:aws:iam::123456789012:role/deploy", LocalDate.now())).isEmpty();
        assertThat(config.remediation().breakGlassPrincipals()).containsExactly("arn:aws:iam::123456789012:role/break-glass");
        assertThat(config.remediation().maxPerMinute()).isEqualTo(3);
        assertThat(config.remediation().quarantinePolicyArn()).contains("arn:aws:iam::123456789012:policy/guardrail-quarantine");
        assertThat(config.remediation().guardrailRoleArns()).containsExactly("arn:aws:iam::123456789012:role/guardrail-evaluator");
    }

    @Test
    void emptyParametersKeepTheFile() throws ConfigException {
        // CloudFormation joins an empty CommaDelimitedList to "".
        GuardrailConfig config = EnvironmentOverrides.apply(GuardrailConfig.defaults(), Map.of(
                "TRUSTED_ACCOUNT_IDS", "", "EXEMPT_PRINCIPAL_ARNS", "", "MODE", " "));

        assertThat(config).isEqualTo(GuardrailConfig.defaults());
    }

    @Test
    void badValuesSayWhatWasExpected() {
        assertThatThrownBy(() -> EnvironmentOverrides.apply(GuardrailConfig.defaults(), Map.of("MODE", "FIX")))
                .hasMessage("MODE: expected ALERT or REMEDIATE but found `FIX`");
        assertThatThrownBy(() -> EnvironmentOverrides.apply(GuardrailConfig.defaults(),
                Map.of("TRUSTED_ACCOUNT_IDS", "1234")))
                .hasMessage("TRUSTED_ACCOUNT_IDS: expected 12-digit account ids but found `1234`");
        assertThatThrownBy(() -> EnvironmentOverrides.apply(GuardrailConfig.defaults(),
                Map.of("ALERT_THRESHOLD", "URGENT"))).hasMessageStartingWith("ALERT_THRESHOLD: expected one of");
    }
}
