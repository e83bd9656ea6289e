package io.iamguardrail.handlers;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.pipeline.Verdict;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PrimingTest {

    @Test
    void beforeCheckpointRunsTheBundledRiskyEventThroughTheOfflinePath() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Priming priming = new Priming(GuardrailConfig.defaults(), new PrintStream(out, true, StandardCharsets.UTF_8));

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        // The bundled event grants iam:PassRole on *: priming must reach the rules and the alert, not stop early.
        assertThat(priming.primed()).contains(Verdict.ALERT);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("\"priming\":\"beforeCheckpoint\",\"verdict\":\"ALERT\"")
                .contains("\"priming\":\"afterRestore\",\"primed\":true");
    }
}
