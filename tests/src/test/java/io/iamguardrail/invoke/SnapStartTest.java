package io.iamguardrail.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The function's life as SnapStart runs it, through the real runtime client: priming before the checkpoint,
 * {@code restore/next}, then the first event; and an init failure reported to the Runtime API, not swallowed.
 * No AWS is reached: the events chosen are decided before any lookup or publish.
 */
class SnapStartTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, String> offlineVariables() {
        // Nothing listens on port 9: a call to AWS would fail the test instead of leaving the machine.
        Map<String, String> v = new HashMap<>(LocalInvokeTest.evaluatorVariables(
                "arn:aws:sns:us-east-1:123456789012:alerts", "http://127.0.0.1:9"));
        v.put("TABLE_NAME", "");
        return v;
    }

    @Test
    void primingRunsBeforeTheCheckpointAndTheRestoredFunctionAnswers() throws Exception {
        try (LocalLambda lambda = LocalLambda.start(TemplateFunctions.function("EvaluatorFunction"), offlineVariables(),
                true)) {
            lambda.awaitReady(Duration.ofSeconds(60));
            // A failed call is skipped before any lookup: the restored function answers without AWS.
            String failed = Files.readString(LocalInvokeTest.EVENTS.resolve("attach-role-policy-failed-access-denied.json"));
            RuntimeApiServer.Answer answer = lambda.invoke(failed);

            assertThat(answer.error()).as(answer.body()).isFalse();
            assertThat(JSON.readTree(answer.body()).path("verdict").asText()).isEqualTo("SKIPPED");
            List<String> calls = lambda.runtimeCalls();
            assertThat(calls).startsWith("GET restore/next", "GET invocation/next");
            String output = lambda.output();
            assertThat(output).contains("\"priming\":\"beforeCheckpoint\",\"verdict\":\"ALERT\"")
                    .contains("\"priming\":\"afterRestore\",\"primed\":true");
            assertThat(output.indexOf("beforeCheckpoint")).isLessThan(output.indexOf("afterRestore"));
            // The rehearsal of a whole invocation ran on bundled answers, and left no decision and no metric behind.
            String beforeRestore = output.substring(0, output.indexOf("afterRestore"));
            assertThat(beforeRestore).contains("\"clients\":[\"rehearsal\"")
                    .doesNotContain("\"message\":\"decision\"").doesNotContain("EventsProcessed");
            // The bundled samples went through the rules, inside the shipped (shrunk) jar, before the checkpoint.
            assertThat(beforeRestore).containsPattern("\"sampleRounds\":[1-9]");
            // The first invocation after the restore is the cold start, with the runtime's request and trace ids.
            JsonNode decision = JSON.readTree(output.lines().filter(l -> l.contains("\"message\":\"decision\""))
                    .findFirst().orElseThrow());
            assertThat(decision.path("cold_start").asBoolean()).isTrue();
            assertThat(decision.path("function_request_id").asText()).isEqualTo(answer.requestId());
            assertThat(decision.path("xray_trace_id").asText()).isEqualTo("1-00000000-000000000000000000000000");
            assertThat(decision.path("service").asText()).isEqualTo("evaluator");
            // The SDK's SLF4J finds its provider in the shrunk jar: no warning on the function's output.
            assertThat(output).doesNotContain("SLF4J");
        }
    }

    @Test
    void withoutSnapStartNoHookRuns() throws Exception {
        try (LocalLambda lambda = LocalLambda.start(TemplateFunctions.function("EvaluatorFunction"), offlineVariables(),
                false)) {
            lambda.awaitReady(Duration.ofSeconds(60));

            assertThat(lambda.runtimeCalls()).first().isEqualTo("GET invocation/next");
            assertThat(lambda.output()).doesNotContain("\"priming\"");
        }
    }

    @Test
    void aMissingTopicIsAnInitErrorThatSaysWhichVariable() throws Exception {
        Map<String, String> v = offlineVariables();
        v.put("TOPIC_ARN", "");
        try (LocalLambda lambda = LocalLambda.start(TemplateFunctions.function("EvaluatorFunction"), v, false)) {
            String error = lambda.awaitInitError(Duration.ofSeconds(60));

            assertThat(error).contains("expected the environment variable TOPIC_ARN");
        }
    }

    @Test
    void theHarnessRefusesToGuessATemplateVariable() {
        Map<String, String> v = offlineVariables();
        v.remove("MODE");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalLambda.start(
                TemplateFunctions.function("EvaluatorFunction"), v, false))
                .hasMessageContaining("the variable MODE");
    }
}
