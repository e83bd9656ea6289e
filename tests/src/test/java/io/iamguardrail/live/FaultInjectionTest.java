package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.handlers.EvaluatorHandler;
import io.iamguardrail.live.FaultProxy.Fault;
import io.iamguardrail.wiring.AwsClients;
import io.iamguardrail.wiring.EvaluatorEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.iamguardrail.live.LiveEvaluatorTest.LAMBDA_TRUST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guardrail when AWS misbehaves: the production SDK clients (same retry settings) talk to moto through a
 * {@link FaultProxy} that throttles, fails, delays and drops. A fault the retries absorb still gives exactly one alert;
 * one they do not fails the invocation (Lambda retries it, then the dead-letter queue keeps it) and leaves the event
 * claimable, so the redelivery gives exactly one alert. Alerts are read back from an SQS queue on the topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

    FaultProxy proxy;
    IamClient iam;
    SqsClient sqs;
    DynamoDbClient directDynamo;
    String queueUrl;
    Map<String, String> env;

    @BeforeAll
    void setUp() throws Exception {
        proxy = new FaultProxy(MOTO.endpoint());
        iam = MOTO.iam();
        sqs = MOTO.sqs();
        directDynamo = MOTO.dynamo();
        SnsClient sns = MOTO.sns();
        String topic = sns.createTopic(b -> b.name("alerts")).topicArn();
        queueUrl = MOTO.subscribeQueue(topic, "alerts", java.util.Map.of());
        directDynamo.createTable(b -> b.tableName("guardrail").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build()));
        env = Map.of("TOPIC_ARN", topic, "TABLE_NAME", "guardrail",
                "GUARDRAIL_ROLE_ARN", "arn:aws:iam::123456789012:role/iam-guardrail-evaluator");
    }

    @AfterAll
    void tearDown() {
        proxy.close();
    }

    @BeforeEach
    void clean() throws Exception {
        proxy.reset();
        drain();
    }

    /** A Lambda container: the production clients, through the proxy. */
    EvaluatorHandler container() {
        return new EvaluatorHandler(EvaluatorEnvironment.service(env, AwsClients.of(
                Clients.iamBuilder().endpointOverride(proxy.endpoint()).credentialsProvider(CREDENTIALS).build(),
                Clients.snsBuilder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).build(),
                Clients.dynamoBuilder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).build())));
    }

    static String invoke(EvaluatorHandler handler, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The alerts waiting in the queue, by event id. */
    List<String> drain() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            for (Message m : messages) {
                JsonNode alert = JSON.readTree(JSON.readTree(m.body()).get("Message").asText());
                ids.add(alert.get("event").get("id").asText());
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
            if (messages.isEmpty() && !ids.isEmpty()) {
                break;
            }
        }
        return ids;
    }

    /** A role with AdministratorAccess in moto and the CloudTrail event that attached it. */
    String adminAttached(String role) {
        iam.createRole(b -> b.roleName(role).assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName(role).policyArn(ADMIN));
        return LiveEvaluatorTest.event("AttachRolePolicy", "{\"roleName\":\"" + role + "\",\"policyArn\":\"" + ADMIN + "\"}");
    }

    static String eventId(String event) throws Exception {
        return JSON.readTree(event).get("detail").get("eventID").asText();
    }

    /** Whether an invocation holds the event now (its lease has not ended). */
    boolean claimed(String eventId) {
        var item = directDynamo.getItem(b -> b.tableName("guardrail").key(Map.of("pk", AttributeValue.fromS("event#" + eventId))))
                .item();
        return item != null && item.containsKey("leaseUntil")
                && Long.parseLong(item.get("leaseUntil").n()) > java.time.Instant.now().getEpochSecond();
    }

    @Test
    void iamThrottlingWithinTheRetriesStillAlertsOnce() throws Exception {
        String event = adminAttached("throttled-once");
        proxy.fail("iam", "GetRole", Fault.THROTTLE, 2);
        assertThat(invoke(container(), event)).contains("\"verdict\":\"ALERT\"");
        assertThat(drain()).containsExactly(eventId(event));
        assertThat(proxy.count("iam", "GetRole")).as("two throttled attempts, then the answer").isEqualTo(3);
    }

    @Test
    void iamThrottlingPastTheRetriesFailsTheInvocationAndTheRedeliveryAlertsOnce() throws Exception {
        String event = adminAttached("throttled-long");
        proxy.fail("iam", "GetRole", Fault.THROTTLE, 1_000);
        EvaluatorHandler handler = container();
        // Not judged from the event's own copy: nothing is known about the role, so the invocation fails.
        assertThatThrownBy(() -> invoke(handler, event)).hasMessageContaining("role throttled-long: Throttling");
        assertThat(drain()).isEmpty();
        assertThat(claimed(eventId(event))).as("nothing claimed before the evaluation").isFalse();
        long attempts = proxy.count("iam", "GetRole");
        assertThat(attempts).as("the SDK's attempts, no retry storm").isEqualTo(Clients.IAM_ATTEMPTS);
        proxy.reset();
        assertThat(invoke(handler, event)).contains("\"verdict\":\"ALERT\"");
        assertThat(drain()).containsExactly(eventId(event));
    }

    @Test
    void snsFailuresWithinTheRetriesStillAlertOnce() throws Exception {
        String event = adminAttached("sns-flaky");
        proxy.fail("sns", "Publish", Fault.SERVER_ERROR, 1).fail("sns", "Publish", Fault.THROTTLE, 1);
        assertThat(invoke(container(), event)).contains("\"verdict\":\"ALERT\"");
        assertThat(drain()).containsExactly(eventId(event));
        assertThat(proxy.count("sns", "Publish")).isEqualTo(3);
    }

    @Test
    void snsDownFailsTheInvocationReleasesTheClaimAndTheRedeliveryAlertsOnce() throws Exception {
        String event = adminAttached("sns-down");
        proxy.fail("sns", "Publish", Fault.SERVER_ERROR, 1_000);
        EvaluatorHandler handler = container();
        assertThatThrownBy(() -> invoke(handler, event)).hasMessageContaining("Internal error");
        assertThat(drain()).isEmpty();
        assertThat(claimed(eventId(event))).as("the lease is released for the retry").isFalse();
        proxy.reset();
        assertThat(invoke(handler, event)).contains("\"verdict\":\"ALERT\"");
        assertThat(invoke(handler, event)).as("a further redelivery").contains("\"verdict\":\"SKIPPED\"");
        assertThat(drain()).containsExactly(eventId(event));
    }

    @Test
    void droppedConnectionsAndSlowAnswersAreRetried() throws Exception {
        String event = adminAttached("dropped");
        proxy.fail("iam", "GetRole", Fault.DROP, 1).fail("iam", "ListAttachedRolePolicies", Fault.DELAY, 1)
                .fail("sns", "Publish", Fault.DROP, 1);
        assertThat(invoke(container(), event)).contains("\"verdict\":\"ALERT\"");
        assertThat(drain()).containsExactly(eventId(event));
        assertThat(proxy.count("iam", "GetRole")).isEqualTo(2);
        assertThat(proxy.count("sns", "Publish")).isEqualTo(2);
    }

    @Test
    void dynamoThroughputErrorsAreRetriedAndTheLedgerStillDeduplicates() throws Exception {
        String event = adminAttached("ledger-throttled");
        proxy.fail("dynamodb", "UpdateItem", Fault.THROUGHPUT_EXCEEDED, 2);
        EvaluatorHandler handler = container();
        assertThat(invoke(handler, event)).contains("\"verdict\":\"ALERT\"");
        assertThat(invoke(handler, event)).contains("\"verdict\":\"SKIPPED\"");
        assertThat(drain()).containsExactly(eventId(event));
    }

    @Test
    void aLedgerThatIsDownNeverLosesTheAlert() throws Exception {
        String event = adminAttached("ledger-down");
        proxy.fail("dynamodb", "*", Fault.SERVER_ERROR, 1_000);
        assertThat(invoke(container(), event)).contains("\"verdict\":\"ALERT\"");
        List<String> alerts = drain();
        assertThat(alerts).containsExactly(eventId(event));
    }

    @Test
    void concurrentDeliveriesOfOneEventAlertOnce() throws Exception {
        String event = adminAttached("raced");
        int deliveries = 6;
        List<EvaluatorHandler> containers = new ArrayList<>();
        for (int i = 0; i < deliveries; i++) {
            containers.add(container());
        }
        // Slow claims widen the window in which the deliveries overlap.
        proxy.fail("dynamodb", "UpdateItem", Fault.DELAY, deliveries);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(deliveries);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (EvaluatorHandler c : containers) {
                Callable<String> delivery = () -> {
                    start.await();
                    return invoke(c, event);
                };
                answers.add(pool.submit(delivery));
            }
            start.countDown();
            List<String> verdicts = new ArrayList<>();
            int held = 0;
            for (Future<String> a : answers) {
                try {
                    verdicts.add(JSON.readTree(a.get()).get("verdict").asText());
                } catch (java.util.concurrent.ExecutionException e) {
                    // Held by another invocation still running: this delivery fails so that Lambda retries it.
                    assertThat(e.getCause()).hasMessageContaining("is processing this event now");
                    held++;
                }
            }
            assertThat(verdicts).allMatch(v -> v.equals("ALERT") || v.equals("SKIPPED"))
                    .filteredOn("ALERT"::equals).hasSize(1);
            for (int i = 0; i < held; i++) {
                assertThat(invoke(container(), event)).as("Lambda's retry of a held delivery").contains("\"verdict\":\"SKIPPED\"");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(drain()).containsExactly(eventId(event));
    }
}
