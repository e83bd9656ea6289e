package io.iamguardrail.handlers;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline switch of the evaluator's Lambda constructor, tried the way a tampered deployment would set it. */
class LocalFunctionsTest {

    @Test
    void offlineIsHonouredOnlyUnderSamCli() {
        assertThat(LocalFunctions.offline(Map.of("OFFLINE", "true", "AWS_SAM_LOCAL", "true"))).isTrue();
        // A deployed function whose OFFLINE was flipped still reads IAM and publishes: Lambda never sets AWS_SAM_LOCAL.
        assertThat(LocalFunctions.offline(Map.of("OFFLINE", "true"))).isFalse();
        assertThat(LocalFunctions.offline(Map.of("OFFLINE", "TRUE", "AWS_SAM_LOCAL", "true"))).isFalse();
        assertThat(LocalFunctions.offline(Map.of("OFFLINE", "false", "AWS_SAM_LOCAL", "true"))).isFalse();
    }

    @Test
    void offlineStillNeedsTheTopicAsTheDeployedFunctionDoes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalFunctions.offlineEvaluator(Map.of(), System.out))
                .hasMessage("expected the environment variable TOPIC_ARN (the alert topic) but it is not set");
    }
}
