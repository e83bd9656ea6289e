package io.iamguardrail.wiring;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The evaluator function's environment as template.yaml sets it, unused variables included (as empty strings). */
class EvaluatorEnvironmentTest {

    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:iam-guardrail-alerts";

    @Test
    void anEmptyTopicIsAnInitErrorThatNamesTheVariable() {
        assertThatThrownBy(() -> EvaluatorEnvironment.setup(Map.of("TOPIC_ARN", "  ")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected the environment variable TOPIC_ARN");
    }

    @Test
    void theTemplatesEmptyValuesMeanNotSetAndTheGateDefaultsToConfirmedEventsOfADay() {
        EvaluatorSetup s = EvaluatorEnvironment.setup(Map.of("TOPIC_ARN", TOPIC, "TABLE_NAME", "", "BACKUP_BUCKET", "",
                "MAC_KEY_ID", "", "OPERATIONS_TOPIC_ARN", ""));

        assertThat(s.topicArn()).contains(TOPIC);
        assertThat(s.table()).isEmpty();
        assertThat(s.backupBucket()).isEmpty();
        assertThat(s.macKeyId()).isEmpty();
        assertThat(s.operationsTopicArn()).isEmpty();
        assertThat(s.maxEventAge()).isEqualTo(Optional.of(Duration.ofHours(24)));
        assertThat(s.confirmWithCloudTrail()).isTrue();
        assertThat(s.scope()).isEqualTo(EvaluatorSetup.Scope.FUNCTION);
    }

    @Test
    void gateSettingsThatAreNotWhatTheyShouldBeStopTheFunctionWithTheValueFound() {
        assertThatThrownBy(() -> EvaluatorEnvironment.setup(Map.of("TOPIC_ARN", TOPIC, "MAX_EVENT_AGE_HOURS", "1d")))
                .hasMessage("expected MAX_EVENT_AGE_HOURS to be a whole number of hours but found `1d`");
        assertThatThrownBy(() -> EvaluatorEnvironment.setup(Map.of("TOPIC_ARN", TOPIC, "CONFIRM_EVENTS", "yes")))
                .hasMessage("expected CONFIRM_EVENTS to be true or false but found `yes`");
    }
}
