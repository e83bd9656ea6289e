package io.iamguardrail.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.remediation.RemediationReport;
import io.iamguardrail.telemetry.EmfDocuments;
import io.iamguardrail.telemetry.FunctionLog;
import io.iamguardrail.telemetry.Invocations;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.Events.event;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One JSON line per decision, in Powertools Logging's shape, with the fields the Logs Insights queries of
 * docs/operations.md filter on; then embedded-metric-format documents CloudWatch turns into the dashboards' metrics.
 */
class DecisionLogTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T15:00:00Z"), ZoneOffset.UTC);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final FunctionLog functionLog = new FunctionLog(DecisionLog.SERVICE,
            Map.of("AWS_LAMBDA_FUNCTION_NAME", "guardrail-evaluator"), new PrintStream(bytes, true, StandardCharsets.UTF_8),
            CLOCK, new Invocations(() -> Optional.of("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")));
    private final DecisionLog log = new DecisionLog(functionLog);

    private Decision adminPolicyOnRole(String eventName) {
        FakeIamState iam = new FakeIamState().role("app", EventEvaluatorTest.LAMBDA_TRUST, Map.of(), List.of());
        return new EventEvaluator(iam, GuardrailConfig.defaults(), Optional.empty()).evaluate(event(eventName,
                "{\"roleName\":\"app\",\"policyName\":\"all\",\"policyDocument\":" + quoted(EventEvaluatorTest.ADMIN) + "}"));
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aDecisionIsOneLineAnOperatorFindsByRequestAccountRuleAndVerdictWithoutPolicyText() {
        functionLog.begin("request-1");
        log.record(adminPolicyOnRole("PutRolePolicy"), "request-1", 3);
        List<JsonNode> decisions = EmfDocuments.entries(output(), "decision");
        assertThat(decisions).hasSize(1);
        JsonNode decision = decisions.get(0);
        // The fields the Logs Insights queries of docs/operations.md read.
        assertThat(decision.path("timestamp").asText()).isEqualTo("2026-11-28T15:00:00Z");
        assertThat(decision.path("level").asText()).isEqualTo("INFO");
        assertThat(decision.path("service").asText()).isEqualTo("evaluator");
        assertThat(decision.path("function_name").asText()).isEqualTo("guardrail-evaluator");
        assertThat(decision.path("function_request_id").asText()).isEqualTo("request-1");
        assertThat(decision.path("cold_start").asBoolean()).isTrue();
        assertThat(decision.path("xray_trace_id").asText()).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
        assertThat(decision.path("account").asText()).isEqualTo("123456789012");
        assertThat(decision.path("verdict").asText()).isEqualTo("ALERT");
        assertThat(decision.path("reason").asText()).isEqualTo("findings at or above MEDIUM (worst: CRITICAL)");
        assertThat(decision.path("eventName").asText()).isEqualTo("PutRolePolicy");
        assertThat(decision.path("eventId").asText()).isEqualTo("evt-PutRolePolicy");
        assertThat(decision.path("ruleIds").asText().split(",")).contains("ADMIN_ACCESS");
        assertThat(decision.path("iamLookups").asLong()).isEqualTo(3);
        assertThat(decision.path("findings").toString()).contains("CRITICAL ADMIN_ACCESS");
        assertThat(decision.has("source")).as("the request id is function_request_id now").isFalse();
        assertThat(output()).doesNotContain("\"Statement\"");
    }

    @Test
    void theDecisionsMetricsAreValidEmfByVerdictEventNameRuleAndSeverity() {
        functionLog.begin("request-1");
        log.record(adminPolicyOnRole("PutRolePolicy"), "request-1", 3);
        List<JsonNode> docs = EmfDocuments.metrics(output());
        assertThat(EmfDocuments.value(docs, "EventsProcessed", "Verdict", "ALERT")).contains(1L);
        assertThat(EmfDocuments.value(docs, "EventsProcessed", "EventName", "PutRolePolicy")).contains(1L);
        assertThat(EmfDocuments.value(docs, "IamLookups", "Verdict", "ALERT")).contains(3L);
        assertThat(EmfDocuments.value(docs, "FindingsCritical", "Verdict", "ALERT")).contains(1L);
        assertThat(EmfDocuments.value(docs, "HeartbeatReceived", "Verdict", "ALERT")).contains(0L);
        assertThat(EmfDocuments.value(docs, "Findings", "RuleId", "ADMIN_ACCESS")).contains(1L);
        assertThat(EmfDocuments.value(docs, "Findings", "Severity", "CRITICAL")).isPresent();
        assertThat(EmfDocuments.value(docs, "ColdStart")).contains(1L);
        assertThat(EmfDocuments.value(docs, "Remediations", "RemediationStatus", "DONE"))
                .as("no remediation was reported").isEmpty();
        assertThat(docs).allSatisfy(d -> assertThat(d.path("service").asText()).isEqualTo("evaluator"));
        assertThat(docs.get(0).path("_aws").path("Timestamp").asLong()).isEqualTo(CLOCK.millis());
    }

    @Test
    void aRemediationIsCountedByItsStatusAndItsBackupIsInTheLine() {
        RemediationReport done = new RemediationReport("REMEDIATE", RemediationReport.Status.DONE, "policy detached",
                List.of(), Optional.of("b-1"), Optional.empty(), List.of(), Optional.empty());
        log.record(adminPolicyOnRole("PutRolePolicy"), "request-2", 2, Optional.of(done));
        JsonNode decision = EmfDocuments.entries(output(), "decision").get(0);
        assertThat(decision.path("remediation").asText()).isEqualTo("DONE");
        assertThat(decision.path("backupId").asText()).isEqualTo("b-1");
        assertThat(EmfDocuments.value(EmfDocuments.metrics(output()), "Remediations", "RemediationStatus", "DONE"))
                .contains(1L);
    }

    @Test
    void anEventNameTheGuardrailDoesNotKnowAddsNoMetricOfItsOwn() {
        Decision forged = Decision.error("evt-1", "Forged" + "x".repeat(40), "expected a CloudTrail IAM event");
        log.record(forged, "request-3", 0);
        List<JsonNode> docs = EmfDocuments.metrics(output());
        assertThat(EmfDocuments.value(docs, "EventsProcessed", "EventName", DecisionLog.OTHER_EVENT)).contains(1L);
        assertThat(EmfDocuments.value(docs, "EventsProcessed", "Verdict", "ERROR")).contains(1L);
        assertThat(EmfDocuments.entries(output(), "decision").get(0).path("level").asText()).isEqualTo("ERROR");
    }
}
