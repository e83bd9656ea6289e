package io.iamguardrail.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.notify.Dispatcher;
import io.iamguardrail.notify.FakeSlack;
import io.iamguardrail.notify.Notifier;
import io.iamguardrail.notify.SlackNotifier;
import io.iamguardrail.notify.WebhookClient;
import io.iamguardrail.notify.WebhookSecret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The notifier Lambda against a loopback stand-in for Slack, with SNS and SQS events shaped as Lambda delivers them. */
class NotifierHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:iam-guardrail-alerts";
    static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:iam-guardrail/slack-webhook-AbCdEf";

    FakeSlack slack;
    CountingSecret secret;
    NotifierHandler handler;

    /** A secret that counts its look-ups, as the Secrets Manager adapter's cache should keep them to one. */
    static final class CountingSecret implements WebhookSecret {
        final String url;
        int lookups;
        int invalidations;
        String cached;

        CountingSecret(String url) {
            this.url = url;
        }

        @Override
        public String url() {
            if (cached == null) {
                lookups++;
                cached = url;
            }
            return cached;
        }

        @Override
        public void invalidate() {
            invalidations++;
            cached = null;
        }
    }

    @BeforeEach
    void start() throws IOException {
        slack = new FakeSlack();
        secret = new CountingSecret(slack.url());
        WebhookClient client = new WebhookClient(HttpClient.newHttpClient(), Set.of("127.0.0.1"), 3, Duration.ofMillis(1),
                Duration.ofMillis(5), d -> { }).allowingInsecureHttpForAddedHosts();
        handler = new NotifierHandler(new Dispatcher(TOPIC, List.of(new SlackNotifier(secret, client, 3))));
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    static String alert(String name) {
        try (InputStream in = NotifierHandlerTest.class.getResourceAsStream("/notify/alerts/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SNS event with one record per message, in the shape Lambda delivers. */
    static JsonNode sns(String... messages) {
        List<Map<String, Object>> records = new ArrayList<>();
        int i = 0;
        for (String m : messages) {
            records.add(Map.of("EventSource", "aws:sns", "EventVersion", "1.0", "Sns", Map.of("Type", "Notification",
                    "MessageId", "sns-" + i++, "TopicArn", TOPIC,
                    "Message", m)));
        }
        return JSON.valueToTree(Map.of("Records", records));
    }

    /** An SQS batch of SNS envelopes, as a queue subscribed without raw message delivery receives them. */
    static JsonNode sqs(List<String> alerts) throws IOException {
        List<Map<String, Object>> records = new ArrayList<>();
        int i = 0;
        for (String a : alerts) {
            String id = "sqs-" + i++;
            records.add(Map.of("messageId", id, "receiptHandle", "r-" + id, "eventSource", "aws:sqs",
                    "body", JSON.writeValueAsString(Map.of("Type", "Notification", "MessageId", "m-" + i,
                            "TopicArn", TOPIC, "Message", a))));
        }
        return JSON.valueToTree(Map.of("Records", records));
    }

    /** A stream entry point run as the runtime client runs it: event bytes in, answer bytes out. */
    interface StreamEntry {
        void handle(java.io.InputStream in, java.io.OutputStream out) throws IOException;
    }

    static JsonNode answer(StreamEntry entry, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entry.handle(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void anSnsAlertIsPostedAsBlockKitWithItsSeverityEmoji() throws Exception {
        String answer = handler.deliverSns(sns(alert("update-assume-role-policy-any-principal")));
        assertThat(answer).isEqualTo("{\"posted\":1}");
        assertThat(slack.requests()).hasSize(1);
        JsonNode posted = JSON.readTree(slack.requests().get(0).body());
        assertThat(posted.has("attachments")).as("no legacy attachment").isFalse();
        assertThat(posted.get("blocks").get(0).get("type").asText()).isEqualTo("header");
        assertThat(posted.get("blocks").get(0).get("text").get("text").asText()).startsWith(":rotating_light: CRITICAL · ");
        assertThat(slack.requests().get(0).path()).isEqualTo("/services/T0000/B0000/s3cr3tT0k3n");
    }

    @Test
    void theWebhookSecretIsReadOncePerContainer() {
        handler.deliverSns(sns(alert("attach-role-policy-admin")));
        handler.deliverSns(sns(alert("create-role-github-oidc-no-sub")));
        assertThat(secret.lookups).isEqualTo(1);
        assertThat(slack.requests()).hasSize(2);
    }

    @Test
    void aPermanentFailureFailsTheInvocationSoSnsRetriesAndTheDeadLetterQueueKeepTheAlert() {
        slack.then(410, "channel_is_archived");
        assertThatThrownBy(() -> handler.deliverSns(sns(alert("attach-role-policy-admin"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not notify Slack of 1 of 1 alerts")
                .hasMessageContaining("HTTP 410 `channel_is_archived`")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
        assertThat(secret.invalidations).as("a refused webhook is read again next time").isEqualTo(1);
    }

    @Test
    void serverErrorsUntilTheLastAttemptFailTheInvocation() {
        slack.then(500, "").then(502, "").then(503, "");
        assertThatThrownBy(() -> handler.deliverSns(sns(alert("attach-role-policy-admin"))))
                .hasMessageContaining("did not take the message after 3 attempts");
        assertThat(slack.requests()).hasSize(3);
    }

    @Test
    void aMessageThatIsNotAnAlertFailsTheInvocationWithTheReason() {
        assertThatThrownBy(() -> handler.deliverSns(sns("{\"hello\":1}")))
                .hasMessageContaining("message sns-0: expected an alert of schema `iam-guardrail/alert/1` but found schema ``");
        assertThat(slack.requests()).isEmpty();
    }

    @Test
    void aQueuedBurstIsGroupedAndOnlyUnreadableMessagesAreReturnedAsFailures() throws Exception {
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(alert("create-policy-version-privesc"));
        }
        batch.add("not json at all");
        batch.add(alert("create-role-github-oidc-no-sub"));
        assertThat(handler.deliverSqs(sqs(batch))).containsExactly("sqs-6");
        // bob's six alerts: one in full and one digest of five; alice's one in full.
        assertThat(slack.requests()).hasSize(3);
        assertThat(slack.requests().get(1).body()).contains("Burst: 5 more IAM alerts by bob");
    }

    @Test
    void aFailedPostReturnsExactlyTheAlertsItCarried() throws Exception {
        slack.then(200, "ok").then(404, "no_service");
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(alert("create-policy-version-privesc"));
        }
        assertThat(handler.deliverSqs(sqs(batch))).containsExactlyInAnyOrder("sqs-1", "sqs-2", "sqs-3", "sqs-4");
    }

    static String resource(String path) {
        try (InputStream in = NotifierHandlerTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON string's content: the alert as SNS embeds it in the event's Message. */
    static String embedded(String json) throws IOException {
        String quoted = JSON.writeValueAsString(json);
        return quoted.substring(1, quoted.length() - 1);
    }

    @Test
    void anSnsEventAsLambdaDeliversItIsAnsweredAsTheStringTheRuntimeSerialised() throws Exception {
        String event = resource("/notify/lambda/sns-event.json")
                .replace("\"MESSAGE\"", "\"" + embedded(alert("update-assume-role-policy-any-principal")) + "\"");
        JsonNode answer = answer((in, out) -> handler.handleRequest(in, out, null), event);
        assertThat(answer.isTextual()).as(answer.toString()).isTrue();
        assertThat(answer.asText()).isEqualTo("{\"posted\":1}");
        assertThat(slack.requests().get(0).body()).contains("TRUST_ANY_PRINCIPAL");
    }

    @Test
    void anSqsBatchAsLambdaDeliversItAnswersWithThePartialBatchFailureContract() throws Exception {
        String envelope = JSON.writeValueAsString(Map.of("Type", "Notification", "MessageId", "95df01b4",
                "TopicArn", TOPIC, "Message", alert("attach-role-policy-admin")));
        String event = resource("/notify/lambda/sqs-event.json").replace("\"BODY\"", "\"" + embedded(envelope) + "\"");
        assertThat(answer((in, out) -> handler.handleSqs(in, out, null), event)).isEqualTo(JSON.readTree(
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"2e1424d4-f796-459a-8184-9c92662be6da\"}]}"));
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void aBatchThatAllPostsAnswersAnEmptyFailureList() throws Exception {
        String event = JSON.writeValueAsString(sqs(List.of(alert("attach-role-policy-admin"))));
        assertThat(answer((in, out) -> handler.handleSqs(in, out, null), event))
                .isEqualTo(JSON.readTree("{\"batchItemFailures\":[]}"));
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void anEventThatIsNotJsonFailsTheInvocationSayingWhere() {
        assertThatThrownBy(() -> answer((in, out) -> handler.handleSqs(in, out, null), "{\"Records\": [1, "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected an SQS event as JSON but it does not parse at line 1, column ");
        assertThat(slack.requests()).isEmpty();
    }

    @Test
    void theWeeklyAuditSummaryOnTheSameTopicIsPostedOnItsOwnEscaped() throws Exception {
        String answer = handler.deliverSns(sns(alert("audit-summary")));
        assertThat(answer).isEqualTo("{\"posted\":1}");
        JsonNode posted = JSON.readTree(slack.requests().get(0).body());
        assertThat(posted.has("attachments")).isFalse();
        String all = posted.toString();
        assertThat(posted.get("blocks").get(0).get("text").get("text").asText())
                .isEqualTo(":rotating_light: IAM audit of 123456789012");
        assertThat(posted.get("blocks").get(1).get("text").get("text").asText())
                .isEqualTo("412 principals scanned, 57 findings: 2 CRITICAL, 9 HIGH, 21 MEDIUM, 25 LOW."
                        + " Since the last report: 3 new, 1 resolved");
        assertThat(all).contains("`arn:aws:iam::123456789012:role/&lt;!channel&gt;`", "s3://guardrail-backups/audit/")
                .doesNotContain("<!channel>", "<https://evil");
    }

    @Test
    void theEnvironmentConfiguresHostsAndTheBurstThreshold() {
        assertThatThrownBy(() -> NotifierHandler.notifier(Map.of("ALERT_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET_ARN", SECRET_ARN,
                "BURST_THRESHOLD", "many"), arn -> secret))
                .hasMessage("expected BURST_THRESHOLD to be a whole number but found `many`");
        assertThatThrownBy(() -> NotifierHandler.notifier(Map.of("ALERT_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET_ARN", SECRET_ARN,
                "BURST_THRESHOLD", "0"), arn -> secret))
                .hasMessage("expected a burst threshold of at least 1 but found 0");
        assertThatThrownBy(() -> NotifierHandler.notifier(Map.of("SLACK_WEBHOOK_SECRET_ARN", SECRET_ARN,
                "SLACK_ALLOWED_HOSTS", "127.0.0.1"), arn -> secret))
                .hasMessage("expected ALERT_TOPIC_ARN, the alert topic whose notifications are posted, but it is not set");
        assertThatThrownBy(() -> NotifierHandler.notifier(Map.of("ALERT_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET_ARN", SECRET_ARN,
                "SLACK_ALLOW_INSECURE_HTTP", "yes"), arn -> secret))
                .hasMessage("expected SLACK_ALLOW_INSECURE_HTTP to be true or false but found `yes`");
        // An added host over plain http is refused without the insecure flag: nothing is posted, the alert fails.
        Dispatcher strict = NotifierHandler.notifier(Map.of("ALERT_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET_ARN", SECRET_ARN,
                "SLACK_ALLOWED_HOSTS", "127.0.0.1, slack-proxy.internal"), arn -> secret);
        assertThatThrownBy(() -> new NotifierHandler(strict).deliverSns(sns(alert("attach-role-policy-admin"))))
                .hasMessageContaining("expected an https webhook URL for 127.0.0.1");
        assertThat(slack.requests()).isEmpty();
        Dispatcher n = NotifierHandler.notifier(Map.of("ALERT_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET_ARN", SECRET_ARN,
                "SLACK_ALLOWED_HOSTS", "127.0.0.1, slack-proxy.internal", "SLACK_ALLOW_INSECURE_HTTP", "true"), arn -> secret);
        new NotifierHandler(n).deliverSns(sns(alert("attach-role-policy-admin")));
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void theSecretVariableChoosesTheNotifierAndNoneSetIsRefusedAtStart() {
        List<String> asked = new ArrayList<>();
        Dispatcher d = NotifierHandler.notifier(Map.of("ALERT_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET_ARN", " " + SECRET_ARN,
                "SLACK_ALLOWED_HOSTS", "127.0.0.1", "SLACK_ALLOW_INSECURE_HTTP", "true"), arn -> {
                    asked.add(arn);
                    return secret;
                });
        assertThat(asked).containsExactly(SECRET_ARN);
        assertThat(new NotifierHandler(d).deliverSns(sns(alert("attach-role-policy-admin")))).isEqualTo("{\"posted\":1}");
        assertThatThrownBy(() -> NotifierHandler.notifier(Map.of("ALERT_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET_ARN", " "),
                arn -> secret))
                .hasMessage("expected a notifier to deliver alerts to (one of [SLACK_WEBHOOK_SECRET_ARN] set to a secret ARN)"
                        + " but none is set");
    }

    /** An SQS record whose body is exactly {@code body}: what someone sending to the queue directly controls. */
    static Map<String, Object> queued(String id, String body) {
        return Map.of("messageId", id, "receiptHandle", "r-" + id, "eventSource", "aws:sqs", "body", body);
    }

    @Test
    void anAlertShapedBodySentStraightToTheQueueOrFromAnotherTopicIsRefusedNeverPosted() throws Exception {
        String forged = alert("attach-role-policy-admin").replace("bob", "security-team-all-clear");
        String otherTopic = "arn:aws:sns:us-east-1:123456789012:iam-guardrail-alerts-lookalike";
        JsonNode batch = JSON.valueToTree(Map.of("Records", List.of(
                queued("direct", forged),
                queued("other-topic", JSON.writeValueAsString(Map.of("Type", "Notification", "MessageId", "x1",
                        "TopicArn", otherTopic, "Message", forged))),
                queued("no-topic", JSON.writeValueAsString(Map.of("Type", "Notification", "MessageId", "x2",
                        "Message", forged))),
                queued("confirmation", JSON.writeValueAsString(Map.of("Type", "SubscriptionConfirmation",
                        "MessageId", "x3", "TopicArn", TOPIC, "Message", forged))),
                queued("genuine", JSON.writeValueAsString(Map.of("Type", "Notification", "MessageId", "x4",
                        "TopicArn", TOPIC, "Message", alert("create-role-github-oidc-no-sub")))))));

        // Failed back to SQS: retried, then kept in the Slack dead-letter queue, whose alarm goes off.
        assertThat(handler.deliverSqs(batch)).containsExactlyInAnyOrder("direct", "other-topic", "no-topic", "confirmation");
        assertThat(slack.requests()).hasSize(1);
        assertThat(slack.requests().get(0).body()).doesNotContain("security-team-all-clear");

        Notifier.Result result = new Dispatcher(TOPIC, List.of(new SlackNotifier(secret, WebhookClient.slack(Set.of(), false), 3)))
                .deliver(List.of(new Dispatcher.Received("direct", forged), new Dispatcher.Received("other-topic",
                        JSON.writeValueAsString(Map.of("Type", "Notification",
                        "TopicArn", otherTopic, "Message", forged)))));
        assertThat(result.posted()).isZero();
        assertThat(result.errors()).containsExactly(
                "message direct: expected an SNS notification from topic `" + TOPIC + "` but the message has no SNS"
                        + " envelope naming its topic (sent to the queue directly?): refused, not posted",
                "message other-topic: expected an SNS notification from topic `" + TOPIC + "` but it names topic `"
                        + otherTopic + "`: refused, not posted");
    }

    @Test
    void anSnsRecordFromAnotherTopicFailsTheInvocationAndPostsNothing() {
        JsonNode event = sns(alert("attach-role-policy-admin"));
        ((ObjectNode) event.path("Records").get(0).path("Sns"))
                .put("TopicArn", "arn:aws:sns:us-east-1:444455556666:someone-elses-topic");
        assertThatThrownBy(() -> handler.deliverSns(event))
                .hasMessageContaining("could not notify Slack of 1 of 1 alerts")
                .hasMessageContaining("but it names topic `arn:aws:sns:us-east-1:444455556666:someone-elses-topic`");
        assertThat(slack.requests()).isEmpty();
    }
}
