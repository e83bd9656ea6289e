package io.iamguardrail.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.live.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sample in events/ through the evaluator exactly as Lambda runs it: the handler string from template.yaml,
 * the real runtime interface client in a child JVM, AWS behind moto. One container serves all events, as a warm
 * Lambda would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalInvokeTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path EVENTS = Path.of(System.getProperty("project.root", "..")).resolve("events");

    LocalLambda lambda;
    SqsClient sqs;
    String queueUrl;
    String operationsQueueUrl;
    Map<String, String> variables;

    @BeforeAll
    void start() throws Exception {
        String topic = MOTO.sns().createTopic(b -> b.name("alerts")).topicArn();
        sqs = MOTO.sqs();
        queueUrl = sqs.createQueue(b -> b.queueName("alerts-copy")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        MOTO.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        MOTO.createStateTable("state");
        variables = evaluatorVariables(topic, MOTO.endpoint().toString());
        String operations = MOTO.sns().createTopic(b -> b.name("operations")).topicArn();
        operationsQueueUrl = sqs.createQueue(b -> b.queueName("operations-copy")).queueUrl();
        String operationsQueueArn = sqs.getQueueAttributes(b -> b.queueUrl(operationsQueueUrl)
                .attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
        MOTO.sns().subscribe(b -> b.topicArn(operations).protocol("sqs").endpoint(operationsQueueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        variables.put("OPERATIONS_TOPIC_ARN", operations);
        lambda = LocalLambda.start(TemplateFunctions.function("EvaluatorFunction"), variables, false);
        lambda.awaitReady(Duration.ofSeconds(60));
    }

    /** The evaluator's template variables, resolved as CloudFormation would against moto, plus its endpoint. */
    static Map<String, String> evaluatorVariables(String topic, String endpoint) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("TOPIC_ARN", topic);
        v.put("TABLE_NAME", "state");
        v.put("BACKUP_BUCKET", "guardrail-backups");
        v.put("QUARANTINE_POLICY_ARN", "arn:aws:iam::123456789012:policy/guardrail-quarantine");
        v.put("GUARDRAIL_ROLE_ARN", "arn:aws:iam::123456789012:role/guardrail-evaluator");
        v.put("GUARDRAIL_ROLE_ARNS", "arn:aws:iam::123456789012:role/guardrail-evaluator,"
                + "arn:aws:iam::123456789012:role/guardrail-audit,arn:aws:iam::123456789012:role/guardrail-notifier");
        v.put("MAC_KEY_ID", "");
        // Without an operations topic tamper alerts go to the alert topic only. The stack the samples in events/
        // were recorded against (manifest.json, ownStack).
        v.put("OPERATIONS_TOPIC_ARN", "");
        v.put("GUARDRAIL_STACK", "iam-guardrail");
        v.put("GUARDRAIL_RESOURCES", "lambda:~-evaluator,lambda:iam-guardrail-audit,"
                + "events:iam-guardrail-iam-change,events:iam-guardrail-tampered,"
                + "sns:iam-guardrail-AlertTopic-Q1W2E3R4T5Y6,sns:iam-guardrail-OperationsTopic-A9S8D7F6G5H4,"
                + "kms:1234abcd-12ab-34cd-56ef-1234567890ab,cloudtrail:iam-guardrail-iam,role:iam-guardrail-evaluator,"
                + "role:iam-guardrail-canary,role:iam-guardrail-heartbeat,policy:iam-guardrail-quarantine");
        v.put("HEARTBEAT_CANARY_ROLE", "iam-guardrail-canary");
        v.put("HEARTBEAT_CALLER_ROLE_ARN", "arn:aws:iam::123456789012:role/iam-guardrail-heartbeat");
        v.put("MAX_EVENT_AGE_HOURS", "24");
        v.put("DEPLOYMENT_MODE", "account");
        v.put("MEMBER_ROLE_NAME", "iam-guardrail-member");
        v.put("MEMBER_EXTERNAL_ID", "51af3dc0-da77-11e4-872e-1234567db123");
        // moto does not implement CloudTrail LookupEvents: confirmation is tested through its port.
        v.put("CONFIRM_EVENTS", "false");
        v.put("IAM_READS_PER_SECOND", "10");
        v.put("MODE", "ALERT");
        v.put("ALERT_THRESHOLD", "MEDIUM");
        v.put("TRUSTED_ACCOUNT_IDS", "");
        v.put("EXEMPT_PRINCIPAL_ARNS", "");
        v.put("MAX_REMEDIATIONS_PER_MINUTE", "10");
        v.put("OFFLINE", "false");
        v.put("AWS_ENDPOINT_URL", endpoint);
        v.put("AWS_ACCESS_KEY_ID", "testing");
        v.put("AWS_SECRET_ACCESS_KEY", "testing");
        return v;
    }

    @AfterAll
    void stop() throws IOException {
        if (lambda != null) {
            lambda.close();
        }
    }

    @Test
    void everySampleEventGetsTheVerdictOfTheManifestAndEveryAlertReachesTheTopic() throws Exception {
        JsonNode manifest = JSON.readTree(EVENTS.resolve("manifest.json").toFile());
        Map<String, String> alertedEventIds = new HashMap<>();
        int answered = 0;
        for (JsonNode entry : manifest.path("events")) {
            String file = entry.path("file").asText();
            JsonNode event = JSON.readTree(EVENTS.resolve(file).toFile());
            RuntimeApiServer.Answer answer = lambda.invoke(JSON.writeValueAsString(event));

            assertThat(answer.error()).as("%s answered with an error: %s%n%s", file, answer.body(), lambda.output())
                    .isFalse();
            JsonNode body = JSON.readTree(answer.body());
            // moto holds none of these principals: the live read fails the same way the offline one does, so the
            // verdict must be the one the manifest records.
            assertThat(body.path("verdict").asText()).as(file).isEqualTo(entry.path("offline").path("verdict").asText());
            assertThat(body.path("eventId").asText()).as(file).isEqualTo(event.path("detail").path("eventID").asText());
            if (body.path("verdict").asText().equals("ALERT")) {
                assertThat(body.path("messageId").isTextual()).as(file + " was published").isTrue();
                alertedEventIds.put(body.path("eventId").asText(), file);
            }
            answered++;
        }
        assertThat(answered).isEqualTo(manifest.path("events").size());

        List<String> published = new ArrayList<>();
        for (int empty = 0; empty < 3 && published.size() < alertedEventIds.size(); ) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages();
            empty = batch.isEmpty() ? empty + 1 : 0;
            for (Message m : batch) {
                JsonNode alert = JSON.readTree(m.body());
                assertThat(alert.path("schema").asText()).isEqualTo("iam-guardrail/alert/1");
                published.add(alert.path("event").path("id").asText());
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        assertThat(published).containsExactlyInAnyOrderElementsOf(alertedEventIds.keySet());

        // Tamper alerts reach the operations topic as well, and nothing else does.
        List<String> operations = new ArrayList<>();
        for (int empty = 0; empty < 3; ) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(operationsQueueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages();
            empty = batch.isEmpty() ? empty + 1 : 0;
            for (Message m : batch) {
                operations.add(alertedEventIds.get(JSON.readTree(m.body()).path("event").path("id").asText()));
                sqs.deleteMessage(b -> b.queueUrl(operationsQueueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        List<String> tamperSamples = new ArrayList<>();
        for (JsonNode entry : manifest.path("events")) {
            if (entry.path("offline").path("rules").toString().contains("GUARDRAIL_TAMPERED")) {
                tamperSamples.add(entry.path("file").asText());
            }
        }
        assertThat(tamperSamples).isNotEmpty();
        assertThat(operations).containsExactlyInAnyOrderElementsOf(tamperSamples);
    }

    @Test
    void aMalformedEventFailsTheInvocationWithTheReasonSoLambdaRetriesAndKeepsIt() throws Exception {
        RuntimeApiServer.Answer answer = lambda.invoke("{\"detail-type\": \"AWS API Call via CloudTrail\", \"detail\": [1, 2");

        assertThat(answer.error()).isTrue();
        assertThat(JSON.readTree(answer.body()).path("errorMessage").asText()).startsWith("malformed event:");
    }
}
