package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.deploy.StackPolicies.Request;
import io.iamguardrail.handlers.LocalFunctions;
import io.iamguardrail.remediation.RemediationReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.iamguardrail.deploy.StackPolicies.ACCOUNT;
import static io.iamguardrail.deploy.StackPolicies.EVALUATOR_FUNCTION_ARN;
import static io.iamguardrail.deploy.StackPolicies.applies;
import static io.iamguardrail.deploy.StackPolicies.roleArn;
import static io.iamguardrail.deploy.StackPolicies.statements;
import static io.iamguardrail.deploy.StackPolicies.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator relies on to watch the guardrail: JSON logs at a level that keeps every decision, active tracing
 * the roles may write, and alarms on metrics the functions really publish.
 */
class ObservabilityTemplateTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
    static final List<String> FUNCTIONS = List.of("EvaluatorFunction", "AuditFunction", "NotifierFunction");
    static JsonNode template;
    static JsonNode resources;

    @BeforeAll
    static void read() throws Exception {
        template = DeployTemplate.template();
        resources = template.path("Resources");
    }

    @Test
    void everyFunctionLogsJsonAtALevelThatKeepsEveryDecisionAndEveryMetric() {
        JsonNode logging = template.path("Globals").path("Function").path("LoggingConfig");
        assertThat(logging.path("LogFormat").asText()).isEqualTo("JSON");
        // Lambda files a line without a level (every metric document) as INFO: a level above it would drop them all,
        // and every decision with them. A parameter that sets the level may offer only these.
        String level = logging.path("ApplicationLogLevel").asText();
        JsonNode parameter = template.path("Parameters").path(level);
        List<String> possible = parameter.isMissingNode() ? List.of(level) : values(parameter.path("AllowedValues"));
        assertThat(possible).isNotEmpty().isSubsetOf("TRACE", "DEBUG", "INFO");
        for (String f : FUNCTIONS) {
            JsonNode own = resources.path(f).path("Properties").path("LoggingConfig");
            assertThat(own.has("LogFormat") || own.has("ApplicationLogLevel"))
                    .as(f + " keeps the Globals' format and level").isFalse();
            assertThat(own.path("LogGroup").asText()).as(f).isNotEmpty();
        }
    }

    @Test
    void tracingIsActiveAndOnlyTheFunctionsOwnCodeMayWriteTheEvaluatorsTraces() {
        assertThat(template.path("Globals").path("Function").path("Tracing").asText()).isEqualTo("Active");
        for (String f : FUNCTIONS) {
            assertThat(resources.path(f).path("Properties").has("Tracing")).as(f).isFalse();
        }
        String evaluatorRole = roleArn(resources, "EvaluatorRole");
        List<JsonNode> evaluator = statements(resources, "EvaluatorPolicy", "PolicyDocument");
        assertThat(applies(evaluator, "Allow", new Request(evaluatorRole, "xray:PutTraceSegments", "*",
                EVALUATOR_FUNCTION_ARN))).isTrue();
        assertThat(applies(evaluator, "Allow", new Request(evaluatorRole, "xray:PutTraceSegments", "*",
                "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:borrowed-role"))).isFalse();
        for (String policy : List.of("AuditPolicy", "NotifierPolicy")) {
            List<JsonNode> granted = statements(resources, policy, "PolicyDocument");
            assertThat(applies(granted, "Allow", new Request("role", "xray:PutTraceSegments", "*", ""))).as(policy).isTrue();
            assertThat(applies(granted, "Allow", new Request("role", "xray:GetTraceSummaries", "*", "")))
                    .as(policy + " may write traces, never read them").isFalse();
        }
    }

    @Test
    void theHeartbeatAlarmWatchesTheMetricTheEvaluatorPublishesForTheHeartbeat() throws Exception {
        Map<String, String> env = new HashMap<>();
        JSON.readTree(Files.readAllBytes(ROOT.resolve("events/env.json"))).path("EvaluatorFunction").fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (LocalFunctions.Function evaluator = LocalFunctions.create(
                "io.iamguardrail.handlers.EvaluatorHandler::handleRequest", env, false,
                new PrintStream(log, true, StandardCharsets.UTF_8))) {
            evaluator.invoke(new ByteArrayInputStream(Files.readAllBytes(ROOT.resolve("events/heartbeat-tag-canary-role.json"))),
                    new ByteArrayOutputStream(), null);
        }
        JsonNode alarm = resources.path("HeartbeatMissingAlarm").path("Properties");
        assertThat(published(log.toString(StandardCharsets.UTF_8), alarm)).as(log.toString(StandardCharsets.UTF_8))
                .isEqualTo(1);
    }

    @Test
    void theRemediationAlarmWatchesAStatusARemediationReportsToTheOperationsTopic() {
        JsonNode p = resources.path("RemediationFailedAlarm").path("Properties");
        assertThat(p.path("Namespace").asText()).isEqualTo("IamGuardrail");
        assertThat(p.path("MetricName").asText()).isEqualTo("Remediations");
        assertThat(p.path("Dimensions").toString())
                .isEqualTo("[{\"Name\":\"service\",\"Value\":\"evaluator\"},{\"Name\":\"RemediationStatus\",\"Value\":\"FAILED\"}]");
        assertThat(Arrays.stream(RemediationReport.Status.values()).map(Enum::name)).contains("FAILED");
        assertThat(p.path("TreatMissingData").asText()).isEqualTo("notBreaching");
        assertThat(values(p.path("AlarmActions"))).containsExactly("OperationsTopic");
    }

    /**
     * The value the log's embedded-metric documents publish for the alarm's metric, with exactly its dimensions (as
     * CloudWatch matches them), or -1 when none does.
     */
    static long published(String log, JsonNode alarm) throws Exception {
        Map<String, String> wanted = new HashMap<>();
        alarm.path("Dimensions").forEach(d -> wanted.put(d.path("Name").asText(), d.path("Value").asText()));
        for (String line : log.lines().toList()) {
            JsonNode doc = JSON.readTree(line);
            for (JsonNode directive : doc.path("_aws").path("CloudWatchMetrics")) {
                boolean named = directive.path("Namespace").asText().equals(alarm.path("Namespace").asText());
                boolean measures = false;
                for (JsonNode m : directive.path("Metrics")) {
                    measures |= m.path("Name").asText().equals(alarm.path("MetricName").asText());
                }
                for (JsonNode set : directive.path("Dimensions")) {
                    Map<String, String> dims = new HashMap<>();
                    set.forEach(name -> dims.put(name.asText(), doc.path(name.asText()).asText()));
                    if (named && measures && dims.equals(wanted)) {
                        return doc.path(alarm.path("MetricName").asText()).asLong();
                    }
                }
            }
        }
        return -1;
    }
}
