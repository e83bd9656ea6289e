package io.iamguardrail.wiring;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A misconfigured audit function fails at start with the variable to set, before any AWS call. */
class AuditEnvironmentTest {

    @Test
    void namesTheMissingOrInvalidVariable() {
        assertThatThrownBy(() -> AuditEnvironment.audit(Map.of("TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:t"), null, null, null))
                .hasMessage("expected the environment variable REPORT_BUCKET (the bucket reports are written to) but it is not set");
        assertThatThrownBy(() -> AuditEnvironment.audit(Map.of("REPORT_BUCKET", "b"), null, null, null))
                .hasMessage("expected the environment variable TOPIC_ARN (the topic the summary is published to) but it is not set");
        assertThatThrownBy(() -> AuditEnvironment.audit(Map.of("REPORT_BUCKET", "b", "TOPIC_ARN", "t", "UNUSED_DAYS", "ninety"),
                null, null, null)).hasMessage("expected UNUSED_DAYS to be a whole number of at least 1 but found `ninety`");
        assertThatThrownBy(() -> AuditEnvironment.audit(Map.of("REPORT_BUCKET", "b", "TOPIC_ARN", "t", "ACCESS_ADVISOR", "yes"),
                null, null, null)).hasMessage("expected ACCESS_ADVISOR to be true or false but found `yes`");
        assertThatThrownBy(() -> AuditEnvironment.audit(Map.of("REPORT_BUCKET", "b", "TOPIC_ARN", "t", "GUARDRAIL_CONFIG", "nonsense: 1"),
                null, null, null)).hasMessageStartingWith("invalid configuration: ");
    }
}
