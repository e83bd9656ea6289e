package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.iamguardrail.aws.SecretsManagerWebhookSecret;
import io.iamguardrail.aws.SnsAlertPublisher;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.handlers.NotifierHandler;
import io.iamguardrail.notify.FilterPolicies;
import io.iamguardrail.notify.Severity;
import io.iamguardrail.pipeline.Alert;
import io.iamguardrail.pipeline.AlertBuilder;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.state.OfflineState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The alert topic and its subscribers on moto: what SNS delivers to an SQS queue (the envelope with the JSON
 * {@code default}) and to e-mail (the {@code email} text), filter policies by severity, and the Slack notifier fed by
 * the queue with its webhook URL read from Secrets Manager.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotifyLiveTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();
    private static final ObjectMapper JSON = new ObjectMapper();

    SnsClient sns;
    SqsClient sqs;
    SecretsManagerClient secrets;
    String topic;
    String slackQueue;
    String highQueue;
    HttpServer slack;
    final List<String> posts = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void setUp() throws Exception {
        sns = MOTO.sns();
        sqs = MOTO.sqs();
        secrets = SecretsManagerClient.builder().endpointOverride(MOTO.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        topic = sns.createTopic(b -> b.name("iam-guardrail-alerts")).topicArn();
        // As the template wires it: Slack (through a queue) from MEDIUM, e-mail from HIGH.
        slackQueue = subscribeQueue("slack-notifier", FilterPolicies.severityAtLeast(Severity.MEDIUM));
        // moto does not expose what it delivers to e-mail: a queue with the e-mail filter shows what the filter lets through.
        highQueue = subscribeQueue("email-filter", FilterPolicies.severityAtLeast(Severity.HIGH));
        sns.subscribe(b -> b.topicArn(topic).protocol("email").endpoint("secops@example.com")
                .attributes(Map.of("FilterPolicy", FilterPolicies.severityAtLeast(Severity.HIGH))));
        slack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slack.createContext("/services/", exchange -> {
            posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write("ok".getBytes(StandardCharsets.UTF_8));
            }
        });
        slack.start();
    }

    @org.junit.jupiter.api.BeforeEach
    void emptyQueues() {
        drain(slackQueue);
        drain(highQueue);
    }

    @AfterAll
    void tearDown() {
        slack.stop(0);
    }

    private String subscribeQueue(String name, String filterPolicy) {
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn).attributes(Map.of("FilterPolicy", filterPolicy)));
        return url;
    }

    /** The alert the evaluator publishes for a sample event of {@code events/}. */
    static Alert alert(String sample) throws Exception {
        byte[] bytes = Files.readAllBytes(Path.of("..", "events", sample + ".json"));
        EventEvaluator evaluator = new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()),
                GuardrailConfig.defaults(), Optional.empty());
        var decision = evaluator.evaluate(EventDecoder.decode(bytes).event().orElseThrow());
        return AlertBuilder.build(decision, new io.iamguardrail.remediation.PlanOnly(new io.iamguardrail.remediation.Planner(
                GuardrailConfig.defaults(), java.time.Clock.systemUTC())).remediate(decision));
    }

    private List<Message> drain(String queue) {
        List<Message> out = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            for (Message m : got) {
                out.add(m);
                sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
            }
            if (got.isEmpty() && !out.isEmpty()) {
                break;
            }
        }
        return out;
    }

    /**
     * The body SNS sends to e-mail subscribers for message {@code id}: from the message as the topic received it
     * (moto's model data), the {@code email} key of a {@code MessageStructure=json} message, else its {@code default}.
     */
    private String emailBody(String id) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(MOTO.endpoint() + "/moto-api/data.json")).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode t : JSON.readTree(r.body()).path("sns").path("Topic")) {
            for (JsonNode sent : t.path("sent_notifications")) {
                if (sent.get(0).asText().equals(id)) {
                    JsonNode structure = JSON.readTree(sent.get(1).asText());
                    return structure.has("email") ? structure.get("email").asText() : structure.get("default").asText();
                }
            }
        }
        throw new AssertionError("message " + id + " was not published to any topic");
    }

    @Test
    void theQueueGetsTheJsonAndTheEmailSubscriptionGetsTheText() throws Exception {
        Alert alert = alert("update-assume-role-policy-any-principal");
        String id = new SnsAlertPublisher(sns, topic).publish(alert);

        List<Message> queued = drain(slackQueue);
        assertThat(queued).hasSize(1);
        JsonNode envelope = JSON.readTree(queued.get(0).body());
        assertThat(envelope.get("Type").asText()).isEqualTo("Notification");
        assertThat(envelope.get("MessageId").asText()).isEqualTo(id);
        assertThat(envelope.get("Subject").asText()).isEqualTo(alert.subject());
        assertThat(envelope.get("Message").asText()).as("SQS gets the `default` JSON").isEqualTo(alert.json());
        assertThat(JSON.readTree(envelope.get("Message").asText()).get("schema").asText()).isEqualTo("iam-guardrail/alert/1");
        assertThat(envelope.get("MessageAttributes").get("severity").get("Value").asText()).isEqualTo("CRITICAL");

        String email = emailBody(id);
        assertThat(email).as("e-mail gets the `email` text").isEqualTo(alert.email());
        assertThat(email).startsWith("CRITICAL: bob UpdateAssumeRolePolicy on role ops-admin trust policy")
                .contains("\nFindings:\n- CRITICAL TRUST_ANY_PRINCIPAL: ")
                .contains("\nLinks:\n- IAM console: role ops-admin: https://console.aws.amazon.com/iam/home#/roles/details/ops-admin\n");
    }

    @Test
    void filterPoliciesSendMediumToSlackOnlyAndHighToBoth() throws Exception {
        Alert medium = alert("create-saml-provider");
        assertThat(medium.attributes().get("severity")).isEqualTo("MEDIUM");
        Alert high = alert("create-access-key-for-other-user");
        assertThat(high.attributes().get("severity")).isEqualTo("HIGH");
        SnsAlertPublisher publisher = new SnsAlertPublisher(sns, topic);
        String mediumId = publisher.publish(medium);
        String highId = publisher.publish(high);
        assertThat(drain(slackQueue)).extracting(m -> JSON.readTree(m.body()).get("MessageId").asText())
                .containsExactlyInAnyOrder(mediumId, highId);
        assertThat(drain(highQueue)).extracting(m -> JSON.readTree(m.body()).get("MessageId").asText())
                .containsExactly(highId);
    }

    @Test
    void theNotifierReadsTheQueueAndPostsWithTheWebhookFromSecretsManager() throws Exception {
        String url = "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T0/B0/s3cr3t";
        String arn = secrets.createSecret(b -> b.name("iam-guardrail/slack-webhook")
                .secretString("{\"url\":\"" + url + "\"}")).arn();
        SecretsManagerWebhookSecret secret = new SecretsManagerWebhookSecret(secrets, arn);
        NotifierHandler handler = new NotifierHandler(NotifierHandler.notifier(
                Map.of("SLACK_WEBHOOK_SECRET_ARN", arn, "SLACK_ALLOWED_HOSTS", "127.0.0.1", "SLACK_ALLOW_INSECURE_HTTP", "true",
                        "BURST_THRESHOLD", "3", "ALERT_TOPIC_ARN", topic), secretArn -> secret));
        SnsAlertPublisher publisher = new SnsAlertPublisher(sns, topic);
        publisher.publish(alert("attach-role-policy-admin"));
        publisher.publish(alert("create-role-github-oidc-no-sub"));
        List<Message> queued = drain(slackQueue);
        assertThat(queued).hasSize(2);
        List<Map<String, String>> records = new ArrayList<>();
        for (Message m : queued) {
            records.add(Map.of("messageId", m.messageId(), "receiptHandle", m.receiptHandle(), "body", m.body(),
                    "eventSource", "aws:sqs"));
        }
        posts.clear();

        List<String> failed = handler.deliverSqs(JSON.valueToTree(Map.of("Records", records)));

        assertThat(failed).isEmpty();
        assertThat(posts).hasSize(2);
        assertThat(posts).anySatisfy(p -> assertThat(JSON.readTree(p).get("text").asText())
                .startsWith("CRITICAL: bob AttachRolePolicy on role ci-runner"));
        // Cached per container: the secret is gone, the notifier still posts; once invalidated, it reads again.
        secrets.deleteSecret(b -> b.secretId(arn).forceDeleteWithoutRecovery(true));
        assertThat(secret.url()).isEqualTo(url);
        secret.invalidate();
        assertThatThrownBy(secret::url).isInstanceOf(ResourceNotFoundException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    }
}
