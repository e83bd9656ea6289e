package io.iamguardrail.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.FindingJson;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.notify.AlertDocument;
import io.iamguardrail.notify.EmailRenderer;
import io.iamguardrail.notify.SlackRenderer;
import io.iamguardrail.remediation.PlanOnly;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.remediation.RemediationReport;
import io.iamguardrail.rules.Rules;
import io.iamguardrail.state.OfflineState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static io.iamguardrail.pipeline.Events.event;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert is built once as a document: the JSON on the topic, the e-mail, and what the notifier function and the
 * CLI render are that document, so a subscriber reading the JSON sees exactly what the e-mail says.
 */
class AlertBuilderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every sample of events/ in REMEDIATE mode, so the alerts carry planned actions, backups and undo commands. */
    private static List<Alert> sampleAlerts() throws Exception {
        GuardrailConfig config = new ConfigLoader(Rules.configurableIds()).load("mode: REMEDIATE", "guardrail.yaml");
        EventEvaluator evaluator = new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()), config,
                Optional.empty());
        List<Alert> alerts = new ArrayList<>();
        try (Stream<Path> files = Files.list(SampleEventsTest.EVENTS)) {
            for (Path f : files.filter(p -> !p.endsWith("manifest.json")).sorted().toList()) {
                Optional<Decision> d = EventDecoder.decode(Files.readAllBytes(f)).event().map(evaluator::evaluate);
                if (d.isPresent() && d.get().event().isPresent()) {
                    alerts.add(AlertBuilder.build(d.get(), new PlanOnly(new Planner(config, Clock.systemUTC()))
                            .remediate(d.get())));
                }
            }
        }
        return alerts;
    }

    @Test
    void whatSubscribersReadIsTheDocumentTheEmailWasRenderedFrom() throws Exception {
        List<Alert> alerts = sampleAlerts();
        assertThat(alerts).hasSizeGreaterThan(80)
                .anyMatch(a -> a.document().orElseThrow().remediation().hasUndo())
                .anyMatch(a -> a.document().orElseThrow().findings().stream().anyMatch(f -> f.severityLoweredBecause().isPresent()));
        for (Alert alert : alerts) {
            AlertDocument read = AlertDocument.parse(alert.json());
            assertThat(read).as(alert.subject()).isEqualTo(alert.document().orElseThrow());
            assertThat(read.toJson()).as(alert.subject()).isEqualTo(alert.json());
            assertThat(EmailRenderer.render(read)).as(alert.subject()).isEqualTo(alert.email());
        }
    }

    @Test
    void eachFindingOfTheAlertHasTheShapeCheckAndReplayPrint() throws Exception {
        Decision d = new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()), GuardrailConfig.defaults(),
                Optional.empty()).evaluate(event("PutRolePolicy", "{\"roleName\":\"app\",\"policyName\":\"p\","
                + "\"policyDocument\":" + quoted("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"iam:PassRole\",\"lambda:CreateFunction\"],\"Resource\":\"*\"},{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:*\",\"Resource\":\"*\"}]}") + "}"));
        JsonNode published = JSON.readTree(AlertBuilder.build(d, RemediationReport.none("ALERT", "ALERT mode")).json());

        assertThat(published.get("findings")).hasSizeGreaterThan(1);
        for (JsonNode f : published.get("findings")) {
            Finding same = d.findings().stream().filter(x -> FindingJson.fingerprint(x).equals(f.get("fingerprint").asText()))
                    .findFirst().orElseThrow();
            assertThat(f).isEqualTo(JSON.readTree(findingJson(same)));
        }
    }

    @Test
    void findingsNotShownAreCountedInTheOrderTheAlertRanksThem() {
        StringBuilder statements = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            statements.append(i == 0 ? "" : ",").append("{\"Sid\":\"S").append(i).append("\",\"Effect\":\"Allow\",\"Action\":\"")
                    .append(i % 2 == 0 ? "iam:*" : "iam:PassRole").append("\",\"Resource\":\"*\"}");
        }
        Decision d = new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()), GuardrailConfig.defaults(),
                Optional.empty()).evaluate(event("PutRolePolicy", "{\"roleName\":\"app\",\"policyName\":\"padded\","
                + "\"policyDocument\":" + quoted("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}") + "}"));
        Alert alert = AlertBuilder.build(d, RemediationReport.none("ALERT", "ALERT mode"));
        AlertDocument doc = alert.document().orElseThrow();
        List<String> ranked = doc.findingsNotShown().keySet().stream().toList();

        assertThat(ranked).hasSizeGreaterThan(1);
        assertThat(AlertDocument.parse(alert.json()).findingsNotShown().keySet()).containsExactlyElementsOf(ranked);
        String counts = String.join(", ", doc.findingsNotShown().entrySet().stream()
                .map(e -> e.getKey() + " x" + e.getValue()).toList());
        assertThat(alert.email()).contains("more: " + counts);
        assertThat(SlackRenderer.render(doc)).contains("`" + ranked.get(0) + "` ×");
    }

    private static String findingJson(Finding f) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            FindingJson.write(g, f);
        }
        return out.toString();
    }
}
