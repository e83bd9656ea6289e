package io.iamguardrail.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.iamguardrail.live.MotoServer;
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

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Slack notifier exactly as Lambda runs it: the real runtime interface client loads the handler by its handler
 * string, deserialises the SQS or SNS event, and serialises the answer; the no-argument constructor reads the webhook
 * URL from Secrets Manager (moto); a loopback server stands in for Slack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotifierInvokeTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path EVENTS = Path.of(System.getProperty("project.root", "..")).resolve("events");

    HttpServer slack;
    final List<String> posts = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger status = new AtomicInteger(200);
    Map<String, String> variables;

    @BeforeAll
    void start() throws Exception {
        slack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slack.createContext("/services/", exchange -> {
            posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = (status.get() == 200 ? "ok" : "no_service").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        slack.start();
        String url = "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T0/B0/s3cr3t";
        SecretsManagerClient secrets = SecretsManagerClient.builder().endpointOverride(MOTO.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        String arn = secrets.createSecret(b -> b.name("iam-guardrail/slack").secretString(url)).arn();
        variables = new LinkedHashMap<>();
        variables.put("SLACK_WEBHOOK_SECRET_ARN", arn);
        variables.put("SLACK_ALLOWED_HOSTS", "127.0.0.1");
        // The loopback stand-in speaks plain http: allowed only with the explicit flag.
        variables.put("SLACK_ALLOW_INSECURE_HTTP", "true");
        variables.put("ALERT_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:iam-guardrail-alerts");
        variables.put("BURST_THRESHOLD", "3");
        variables.put("AWS_ENDPOINT_URL", MOTO.endpoint().toString());
        variables.put("AWS_ACCESS_KEY_ID", "testing");
        variables.put("AWS_SECRET_ACCESS_KEY", "testing");
    }

    @AfterAll
    void stop() {
        slack.stop(0);
    }

    /**
     * The notifier as template.yaml declares it; {@code handleRequest} is the same class's entry point for a direct
     * SNS subscription (no burst grouping), which the README offers as the alternative.
     */
    TemplateFunctions.Function function(String method) throws Exception {
        TemplateFunctions.Function f = TemplateFunctions.function("NotifierFunction");
        String cls = f.handler().substring(0, f.handler().indexOf("::"));
        return new TemplateFunctions.Function(f.logicalId(), cls + "::" + method, f.runtime(), f.memoryMb(),
                f.timeoutSeconds(), f.globalEnvironment(), f.variables(), f.properties());
    }

    /** An alert as the evaluator publishes it, for the sample event. */
    static String alert(String sample) throws Exception {
        byte[] bytes = Files.readAllBytes(EVENTS.resolve(sample + ".json"));
        var evaluator = new io.iamguardrail.pipeline.EventEvaluator(new io.iamguardrail.state.OfflineState(
                io.iamguardrail.catalog.ManagedPolicySnapshot.bundled()), io.iamguardrail.config.GuardrailConfig.defaults(),
                java.util.Optional.empty());
        var decision = evaluator.evaluate(io.iamguardrail.event.EventDecoder.decode(bytes).event().orElseThrow());
        return io.iamguardrail.pipeline.AlertBuilder.build(decision, new io.iamguardrail.remediation.PlanOnly(
                new io.iamguardrail.remediation.Planner(io.iamguardrail.config.GuardrailConfig.defaults(),
                        java.time.Clock.systemUTC())).remediate(decision)).json();
    }

    @Test
    void anSqsBatchIsPostedAndOnlyTheUnreadableMessageIsReturnedAsAFailure() throws Exception {
        String envelope = JSON.writeValueAsString(Map.of("Type", "Notification", "MessageId", "m-1",
                "TopicArn", "arn:aws:sns:us-east-1:123456789012:iam-guardrail-alerts",
                "Message", alert("attach-role-policy-admin")));
        Map<String, Object> good = Map.of("messageId", "good-1", "receiptHandle", "r1", "body", envelope,
                "eventSource", "aws:sqs", "eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:iam-guardrail-slack",
                "awsRegion", "us-east-1", "attributes", Map.of("ApproximateReceiveCount", "1"), "messageAttributes", Map.of());
        Map<String, Object> bad = new LinkedHashMap<>(good);
        bad.put("messageId", "bad-1");
        bad.put("body", "{\"Type\":\"Notification\",\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:iam-guardrail-alerts\","
                + "\"Message\":\"not an alert\"}");
        status.set(200);
        posts.clear();
        try (LocalLambda lambda = LocalLambda.start(function("handleSqs"), variables, false)) {
            lambda.awaitReady(Duration.ofSeconds(60));
            RuntimeApiServer.Answer answer = lambda.invoke(JSON.writeValueAsString(Map.of("Records", List.of(good, bad))));
            assertThat(answer.error()).as("%s%n%s", answer.body(), lambda.output()).isFalse();
            assertThat(JSON.readTree(answer.body())).isEqualTo(JSON.readTree(
                    "{\"batchItemFailures\":[{\"itemIdentifier\":\"bad-1\"}]}"));
            assertThat(posts).hasSize(1);
            JsonNode posted = JSON.readTree(posts.get(0));
            assertThat(posted.get("text").asText()).startsWith("CRITICAL: bob AttachRolePolicy on role ci-runner");
            assertThat(lambda.output()).doesNotContain("s3cr3t");
        }
    }

    @Test
    void anSnsAlertIsPostedAndOneSlackRefusesFailsTheInvocationWithoutRevealingTheWebhook() throws Exception {
        Map<String, Object> sns = Map.of("Type", "Notification", "MessageId", "95df01b4",
                "TopicArn", "arn:aws:sns:us-east-1:123456789012:iam-guardrail-alerts", "Subject", "[CRITICAL] ...",
                "Message", alert("update-assume-role-policy-any-principal"), "Timestamp", "2026-11-28T15:05:09.512Z",
                "SignatureVersion", "1", "Signature", "EXAMPLE", "MessageAttributes",
                Map.of("severity", Map.of("Type", "String", "Value", "CRITICAL")));
        String event = JSON.writeValueAsString(Map.of("Records", List.of(Map.of("EventSource", "aws:sns",
                "EventVersion", "1.0", "EventSubscriptionArn", "arn:aws:sns:us-east-1:123456789012:iam-guardrail-alerts:1",
                "Sns", sns))));
        posts.clear();
        try (LocalLambda lambda = LocalLambda.start(function("handleRequest"), variables, false)) {
            lambda.awaitReady(Duration.ofSeconds(60));
            status.set(200);
            RuntimeApiServer.Answer posted = lambda.invoke(event);
            assertThat(posted.error()).as("%s%n%s", posted.body(), lambda.output()).isFalse();
            // The same answer as when the handler returned a String for the runtime to serialise: a JSON string.
            assertThat(JSON.readTree(posted.body()).asText()).isEqualTo("{\"posted\":1}");
            assertThat(JSON.readTree(posted.body()).isTextual()).isTrue();
            posts.clear();

            status.set(404);
            RuntimeApiServer.Answer answer = lambda.invoke(event);
            assertThat(answer.error()).as("%s%n%s", answer.body(), lambda.output()).isTrue();
            assertThat(JSON.readTree(answer.body()).path("errorMessage").asText())
                    .startsWith("could not notify Slack of 1 of 1 alerts: alerts [95df01b4]: the Slack webhook on 127.0.0.1"
                            + " refused the message: HTTP 404 `no_service`");
            assertThat(posts).hasSize(1);
            assertThat(answer.body() + lambda.output()).doesNotContain("s3cr3t");
        }
    }
}
