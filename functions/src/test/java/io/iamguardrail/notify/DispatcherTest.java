package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notifier function hands every alert of the topic to each configured notifier through the port: a second
 * destination (as a Teams or PagerDuty notifier would be) gets the same alerts as Slack, and its failure is never
 * hidden by Slack's success.
 */
class DispatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:iam-guardrail-alerts";

    private FakeSlack slack;
    private SlackNotifier slackNotifier;

    /** A second destination that records what it is handed and refuses the alerts of one rule. */
    private static final class Pager implements Notifier {
        final List<Notice> handed = new ArrayList<>();
        final String refusedRule;

        Pager(String refusedRule) {
            this.refusedRule = refusedRule;
        }

        @Override
        public String name() {
            return "Pager";
        }

        @Override
        public Result deliver(List<Notice> notices) {
            handed.addAll(notices);
            List<String> failed = new ArrayList<>();
            for (Notice n : notices) {
                if (n instanceof Notice.Alert a && a.document().findings().stream().anyMatch(f -> f.ruleId().equals(refusedRule))) {
                    failed.add(a.id());
                }
            }
            return new Result(notices.size() - failed.size(), failed,
                    failed.stream().map(id -> "alert " + id + ": HTTP 503 from the paging service").toList());
        }
    }

    @BeforeEach
    void start() throws IOException {
        slack = new FakeSlack();
        WebhookSecret secret = new WebhookSecret() {
            @Override
            public String url() {
                return slack.url();
            }

            @Override
            public void invalidate() {
            }
        };
        slackNotifier = new SlackNotifier(secret, new WebhookClient(HttpClient.newHttpClient(), Set.of("127.0.0.1"), 1,
                Duration.ZERO, Duration.ZERO, d -> { }).allowingInsecureHttpForAddedHosts(), 3);
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    private static Dispatcher.Received received(String id, String topic, String message) throws IOException {
        return new Dispatcher.Received(id, JSON.writeValueAsString(Map.of("Type", "Notification", "MessageId", id,
                "TopicArn", topic, "Message", message)));
    }

    @Test
    void everyNotifierGetsTheSameAlertsAndTheAuditSummaryAndOneFailureFailsThatAlertOnly() throws IOException {
        Pager pager = new Pager("TRUST_ANY_PRINCIPAL");
        Dispatcher dispatcher = new Dispatcher(TOPIC, List.of(slackNotifier, pager));
        String trustAnyone = Alerts.json("update-assume-role-policy-any-principal");

        Notifier.Result result = dispatcher.deliver(List.of(
                received("m1", TOPIC, Alerts.json("attach-role-policy-admin")),
                received("m2", TOPIC, trustAnyone),
                received("m3", TOPIC, Alerts.json("audit-summary")),
                received("m4", TOPIC + "-lookalike", Alerts.json("create-policy-version-privesc"))));

        assertThat(pager.handed).extracting(Notice::id).containsExactly("m1", "m2", "m3");
        assertThat(pager.handed.get(0)).isInstanceOfSatisfying(Notice.Alert.class,
                a -> assertThat(a.document()).isEqualTo(AlertDocument.parse(Alerts.json("attach-role-policy-admin"))));
        assertThat(pager.handed.get(2)).isInstanceOf(Notice.AuditSummary.class);
        assertThat(slack.requests()).hasSize(3);
        assertThat(result.posted()).isEqualTo(3 + 2);
        assertThat(result.failedIds()).containsExactly("m4", "m2");
        assertThat(result.errors()).hasSize(2);
        assertThat(result.errors().get(0)).startsWith("message m4: expected an SNS notification from topic `" + TOPIC + "`");
        assertThat(result.errors().get(1)).isEqualTo("Pager: alert m2: HTTP 503 from the paging service");
        assertThat(dispatcher.names()).isEqualTo("Slack, Pager");
    }

    @Test
    void withSlackAloneItsErrorsReadAsBefore() throws IOException {
        slack.then(404, "no_service");
        Notifier.Result result = new Dispatcher(TOPIC, List.of(slackNotifier))
                .deliver(List.of(received("m1", TOPIC, Alerts.json("attach-role-policy-admin"))));

        assertThat(result.failedIds()).containsExactly("m1");
        assertThat(result.errors()).singleElement().asString().startsWith("alerts [m1]: the Slack webhook on 127.0.0.1 refused");
    }
}
