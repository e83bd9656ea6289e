package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.pipeline.Alert;
import io.iamguardrail.pipeline.AlertBuilder;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.remediation.PlanOnly;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.state.OfflineState;
import io.iamguardrail.text.VisibleText;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change whose names and policy text carry a right-to-left override (U+202E), a zero-width space and a terminal
 * escape that clears the screen, evaluated as the evaluator does: neither Slack nor the e-mail gets them raw, and the
 * reader sees that they are there.
 */
class HiddenCharactersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String RLO = "\u202E";
    static final String CLEAR_SCREEN = "\u001b[2J";
    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:iam-guardrail-alerts";

    /** The real PutRolePolicy sample, with the attacker's characters in the role name, the Sid and the user agent. */
    static Alert hostileAlert() throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("../events/put-role-policy-passrole-star.json")));
        ObjectNode detail = (ObjectNode) event.path("detail");
        ObjectNode params = (ObjectNode) detail.path("requestParameters");
        params.put("roleName", "build-runner" + RLO + "nimda-ylno-daer" + CLEAR_SCREEN);
        // In the policy's own JSON the characters are escaped, as a valid document must have them.
        params.put("policyDocument", params.path("policyDocument").asText()
                .replace("\"PassAnyRole\"", "\"PassAnyRole\\u001b[2J\\u200b\\u202e\\u2066x\\u2069\""));
        detail.put("userAgent", "terraform" + CLEAR_SCREEN + "\u001b]0;owned\u0007" + RLO);
        Decision decision = new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()), GuardrailConfig.defaults(),
                Optional.empty()).evaluate(EventDecoder.decode(JSON.writeValueAsBytes(event)).event().orElseThrow());
        assertThat(decision.findings()).as("the change is alerted on").isNotEmpty();
        return AlertBuilder.build(decision, new PlanOnly(new Planner(GuardrailConfig.defaults(), Clock.systemUTC()))
                .remediate(decision));
    }

    /** Every hidden character of {@code s} (line breaks of the layout aside), as code points. */
    static List<String> hidden(String s) {
        List<String> found = new ArrayList<>();
        s.codePoints().filter(cp -> cp != '\n' && VisibleText.isHidden(cp)).forEach(cp -> found.add(String.format("U+%04X", cp)));
        return found;
    }

    /** Every text value of a JSON tree, concatenated: what Slack would render. */
    static String texts(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        if (n.isTextual()) {
            sb.append(n.asText()).append('\n');
        }
        n.forEach(c -> sb.append(texts(c)));
        return sb.toString();
    }

    @Test
    void theAlertDocumentKeepsTheFactsAsTheyWere() throws Exception {
        // The machine-readable alert is evidence: it keeps the characters as they were (JSON escapes the controls).
        JsonNode alert = JSON.readTree(hostileAlert().json());
        assertThat(alert.path("target").asText()).contains("build-runner" + RLO + "nimda-ylno-daer" + CLEAR_SCREEN);
        assertThat(alert.path("findings").toString()).contains("PassAnyRole\\u001B[2J\u200B" + RLO);
    }

    @Test
    void slackNeverReceivesTheOverrideOrTheEscapeRaw() throws Exception {
        Alert alert = hostileAlert();
        try (FakeSlack slack = new FakeSlack()) {
            WebhookClient client = new WebhookClient(HttpClient.newHttpClient(), Set.of("127.0.0.1"), 1, Duration.ZERO,
                    Duration.ZERO, d -> { }).allowingInsecureHttpForAddedHosts();
            WebhookSecret secret = new WebhookSecret() {
                @Override
                public String url() {
                    return slack.url();
                }

                @Override
                public void invalidate() {
                }
            };
            String envelope = JSON.writeValueAsString(Map.of("Type", "Notification", "TopicArn", TOPIC, "Message", alert.json()));
            Notifier.Result result = new Dispatcher(TOPIC, List.of(new SlackNotifier(secret, client, 3)))
                    .deliver(List.of(new Dispatcher.Received("m1", envelope)));
            assertThat(result.posted()).as(result.errors().toString()).isEqualTo(1);

            String shown = texts(JSON.readTree(slack.requests().get(0).body()));
            assertThat(hidden(shown)).isEmpty();
            // The user agent is cut to a glance in Slack (the e-mail has it whole), after its characters are made visible.
            assertThat(shown).contains("build-runner\\u202enimda-ylno-daer\\u001b[2J", "`terraform\\u001b[2J\\u0…`");
            assertThat(shown).contains("PassAnyRole\\u001b[2J\\u200b\\u202e\\u2066x\\u2069");
        }
    }

    @Test
    void theEmailNeverCarriesTheOverrideOrTheEscapeRaw() throws Exception {
        String email = hostileAlert().email();
        assertThat(hidden(email)).isEmpty();
        assertThat(email).contains("build-runner\\u202enimda-ylno-daer\\u001b[2J", "Using:     terraform\\u001b[2J\\u001b]0;owned\\u0007\\u202e");
    }

    @Test
    void lettersOfOtherScriptsAndEmojiAreKept() {
        String name = "Zoë-ロール-דוד-🔐";
        assertThat(VisibleText.line(name)).isEqualTo(name);
        assertThat(Mrkdwn.escape("a\nb" + RLO)).isEqualTo("a\nb\\u202e");
        assertThat(VisibleText.line("tag\uDB40\uDC41")).as("an invisible tag character beyond the BMP").isEqualTo("tag\\udb40\\udc41");
        assertThat(VisibleText.line("lone\uD800")).isEqualTo("lone\\ud800");
    }
}
