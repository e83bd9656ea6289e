package io.iamguardrail.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
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

/** One JSON line per decision with its reason, then an embedded-metric-format line CloudWatch turns into metrics. */
class DecisionLogTest {

    @Test
    void aDecisionIsOneStructuredLineAndOneMetricLineWithoutPolicyText() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DecisionLog log = new DecisionLog(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Clock.fixed(Instant.parse("2026-11-28T15:00:00Z"), ZoneOffset.UTC));
        FakeIamState iam = new FakeIamState().role("app", EventEvaluatorTest.LAMBDA_TRUST, Map.of(), List.of());
        Decision d = new EventEvaluator(iam, GuardrailConfig.defaults(), Optional.empty()).evaluate(event("PutRolePolicy",
                "{\"roleName\":\"app\",\"policyName\":\"all\",\"policyDocument\":" + quoted(EventEvaluatorTest.ADMIN) + "}"));
        log.record(d, "request-1", 3);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode decision = json.readTree(lines.get(0));
        assertThat(decision.get("verdict").asText()).isEqualTo("ALERT");
        assertThat(decision.get("reason").asText()).isEqualTo("findings at or above MEDIUM (worst: CRITICAL)");
        assertThat(decision.get("eventName").asText()).isEqualTo("PutRolePolicy");
        assertThat(decision.get("findings").toString()).contains("CRITICAL ADMIN_ACCESS");
        assertThat(lines.get(0)).doesNotContain("\"Statement\"");
        JsonNode metrics = json.readTree(lines.get(1));
        assertThat(metrics.get("_aws").get("Timestamp").asLong()).isEqualTo(Instant.parse("2026-11-28T15:00:00Z").toEpochMilli());
        assertThat(metrics.get("_aws").get("CloudWatchMetrics").get(0).get("Namespace").asText()).isEqualTo("IamGuardrail");
        assertThat(metrics.get("EventsProcessed").asInt()).isEqualTo(1);
        assertThat(metrics.get("IamLookups").asInt()).isEqualTo(3);
        assertThat(metrics.get("FindingsCritical").asInt()).isEqualTo(1);
        assertThat(metrics.get("Verdict").asText()).isEqualTo("ALERT");
    }
}
