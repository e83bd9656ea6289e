package io.iamguardrail.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A function's log lines in Powertools Logging's shape and its metric documents, as Logs Insights reads them. */
class FunctionLogTest {

    static final Map<String, String> LAMBDA_ENV = Map.of("AWS_LAMBDA_FUNCTION_NAME", "guardrail-evaluator",
            "AWS_LAMBDA_FUNCTION_VERSION", "7", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024", "AWS_LAMBDA_LOG_LEVEL", "INFO");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T15:00:00.123Z"), ZoneOffset.UTC);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    /** The trace header of the invocation, as the runtime sets it before each one. */
    private final List<String> headers = new ArrayList<>(List.of(
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
            "Root=1-6759e988-0123456789abcdef01234567;Parent=1111111111111111;Sampled=0"));
    private final Invocations invocations = new Invocations(() -> Optional.of(headers.remove(0)));

    private FunctionLog log(Map<String, String> env) {
        return new FunctionLog("evaluator", env, new PrintStream(bytes, true, StandardCharsets.UTF_8), CLOCK, invocations);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyLineCarriesPowertoolsKeysAndTheColdStartIsTheFirstInvocationOnly() {
        FunctionLog log = log(LAMBDA_ENV);
        log.begin("req-1");
        log.log(LogLevel.INFO, "decision", g -> g.writeStringField("verdict", "ALERT"));
        log.begin("req-2");
        log.log(LogLevel.ERROR, "decision", g -> g.writeStringField("verdict", "ERROR"));

        List<JsonNode> lines = EmfDocuments.entries(output(), "decision");
        assertThat(lines).hasSize(2);
        JsonNode first = lines.get(0);
        assertThat(first.path("timestamp").asText()).isEqualTo("2026-11-28T15:00:00.123Z");
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("service").asText()).isEqualTo("evaluator");
        assertThat(first.path("function_name").asText()).isEqualTo("guardrail-evaluator");
        assertThat(first.path("function_version").asText()).isEqualTo("7");
        assertThat(first.path("function_memory_size").asInt()).isEqualTo(1024);
        assertThat(first.path("function_request_id").asText()).isEqualTo("req-1");
        assertThat(first.path("cold_start").asBoolean()).isTrue();
        assertThat(first.path("xray_trace_id").asText()).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
        assertThat(first.path("verdict").asText()).isEqualTo("ALERT");

        JsonNode second = lines.get(1);
        assertThat(second.path("level").asText()).isEqualTo("ERROR");
        assertThat(second.path("function_request_id").asText()).isEqualTo("req-2");
        assertThat(second.path("cold_start").isBoolean()).isTrue();
        assertThat(second.path("cold_start").asBoolean()).isFalse();
        assertThat(second.path("xray_trace_id").asText()).isEqualTo("1-6759e988-0123456789abcdef01234567");
    }

    @Test
    void theColdStartIsOneMetricOfTheFirstInvocation() {
        FunctionLog log = log(LAMBDA_ENV);
        log.begin("req-1");
        log.begin("req-2");
        List<JsonNode> docs = EmfDocuments.metrics(output());
        assertThat(docs).hasSize(1);
        assertThat(EmfDocuments.value(docs, "ColdStart")).contains(1L);
        assertThat(docs.get(0).path("service").asText()).isEqualTo("evaluator");
        assertThat(docs.get(0).path("function_request_id").asText()).isEqualTo("req-1");
        assertThat(docs.get(0).path("_aws").path("Timestamp").asLong()).isEqualTo(CLOCK.millis());
    }

    @Test
    void linesBelowTheLambdaLogLevelAreNotWrittenAndMetricsAlwaysAre() {
        Map<String, String> warn = new HashMap<>(LAMBDA_ENV);
        warn.put("AWS_LAMBDA_LOG_LEVEL", "WARN");
        FunctionLog log = log(warn);
        log.begin("req-1");
        log.log(LogLevel.INFO, "decision", FunctionLog.Fields.NONE);
        log.log(LogLevel.WARN, "message will be delivered again", FunctionLog.Fields.NONE);
        assertThat(EmfDocuments.entries(output(), "decision")).isEmpty();
        assertThat(EmfDocuments.entries(output(), "message will be delivered again")).hasSize(1);
        assertThat(EmfDocuments.metrics(output())).hasSize(1);

        Map<String, String> debug = new HashMap<>(LAMBDA_ENV);
        debug.put("AWS_LAMBDA_LOG_LEVEL", "debug");
        assertThat(log(debug).enabled(LogLevel.DEBUG)).isTrue();
        assertThat(log(LAMBDA_ENV).enabled(LogLevel.DEBUG)).isFalse();
    }

    @Test
    void aLevelThatIsNoLevelLeavesInfoAndPowertoolsVariablesAreHonoured() {
        assertThat(LogLevel.of(Map.of("AWS_LAMBDA_LOG_LEVEL", "LOUD"))).isEqualTo(LogLevel.INFO);
        assertThat(LogLevel.of(Map.of("POWERTOOLS_LOG_LEVEL", "warn"))).isEqualTo(LogLevel.WARN);
        assertThat(LogLevel.of(Map.of("AWS_LAMBDA_LOG_LEVEL", "ERROR", "POWERTOOLS_LOG_LEVEL", "DEBUG")))
                .as("Lambda's own setting wins").isEqualTo(LogLevel.ERROR);
        assertThat(new FunctionLog("evaluator", Map.of("POWERTOOLS_SERVICE_NAME", "payments-guardrail"),
                new PrintStream(bytes), CLOCK, invocations).service()).isEqualTo("payments-guardrail");
    }

    @Test
    void withoutAnInvocationOrATraceTheLineSaysSoRatherThanMakingThemUp() {
        FunctionLog log = new FunctionLog("audit", Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8), CLOCK,
                new Invocations(Optional::empty));
        log.log(LogLevel.WARN, "offline", FunctionLog.Fields.NONE);
        JsonNode line = EmfDocuments.entries(output(), "offline").get(0);
        assertThat(line.has("function_request_id")).isFalse();
        assertThat(line.has("xray_trace_id")).isFalse();
        assertThat(line.path("cold_start").asBoolean()).isFalse();
        assertThat(line.has("function_name")).isFalse();
    }

    @Test
    void aHostileValueStaysInsideItsField() {
        FunctionLog log = log(LAMBDA_ENV);
        log.begin("req-1");
        String forged = "x\",\"level\":\"DEBUG\"}\n{\"message\":\"decision\",\"verdict\":\"NO_ALERT";
        log.log(LogLevel.INFO, "decision", g -> g.writeStringField("eventName", forged));
        List<JsonNode> lines = EmfDocuments.lines(output()).stream().filter(n -> !n.has("_aws")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).path("eventName").asText()).isEqualTo(forged);
        assertThat(lines.get(0).path("level").asText()).isEqualTo("INFO");
    }

    @Test
    void theTraceIdIsTheRootOfTheHeader() {
        assertThat(Invocations.rootOf("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"))
                .contains("1-5759e988-bd862e3fe1be46a994272793");
        assertThat(Invocations.rootOf("Parent=53995c3f42cd8ad8; Root=1-abc")).contains("1-abc");
        assertThat(Invocations.rootOf("Sampled=0")).isEmpty();
        assertThat(Invocations.rootOf("Root=")).isEmpty();
    }

    @Test
    void aDocumentNamingADimensionItDoesNotSetIsRefused() {
        assertThatThrownBy(() -> new MetricLine().group(List.of("Verdict"),
                        MetricLine.Metric.count("EventsProcessed", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("expected a value for dimension Verdict before a group names it but only [] are set");
    }
}
