package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.handlers.EvaluatorHandler;
import io.iamguardrail.live.FaultProxy.Fault;
import io.iamguardrail.wiring.AwsClients;
import io.iamguardrail.wiring.EvaluatorEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
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
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Terraform apply as CloudTrail reports it: for each role a CreateRole, two PutRolePolicy and two AttachRolePolicy
 * (shapes copied from {@code events/}), the state created in moto first, then every event through the evaluator in
 * parallel containers, in shuffled order, through the {@link FaultProxy}. One role in ten gets {@code iam:PassRole}
 * on {@code *} inline, one in twenty AdministratorAccess. Every event that leaves a risky role must alert exactly once
 * (each judges the role's effective permissions), no other event may alert, and the IAM requests per event stay
 * bounded; under throttling of every tenth IAM request the same holds, with no retry storm.
 *
 * <p>CI runs 200 roles (1,000 events) and 10 throttled roles (50 events); {@code bench/burst.sh} runs 200 roles
 * (1,000 events) and prints the figures ({@code -Dburst.roles}, {@code -Dburst.throttledRoles}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BurstTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    private static final String LAMBDA_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String PASS_ANY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Deploy\",\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}";
    private static final String BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final int CONTAINERS = 4;
    /** The template's batch size of the evaluator's queue. */
    private static final int BATCH = 100;

    FaultProxy proxy;
    IamClient iam;
    SqsClient sqs;
    String queueUrl;
    Map<String, String> env;
    JsonNode createRole;
    JsonNode putRolePolicy;
    JsonNode attachRolePolicy;

    /** One generated event and what it must give. */
    record Generated(String id, String json, String role, boolean alerts, String rule) {
    }

    /** What a run measured. */
    record Figures(int events, long millis, long iamRequests, long iamFailed, long getPolicyVersion, int alerts,
                   int retriedInvocations, Map<String, Long> byAction) {
        String line(String label) {
            return String.format(java.util.Locale.ROOT, "burst %s: %d events in %.1f s (%.1f events/s), %d IAM requests"
                            + " (%.2f per event, %d throttled, %d GetPolicyVersion), %d alerts, %d invocations failed"
                            + " and retried; IAM by action: %s",
                    label, events, millis / 1000.0, events * 1000.0 / Math.max(1, millis), iamRequests,
                    iamRequests / (double) events, iamFailed, getPolicyVersion, alerts, retriedInvocations, byAction);
        }
    }

    @BeforeAll
    void setUp() throws Exception {
        proxy = new FaultProxy(MOTO.endpoint());
        iam = MOTO.iam();
        sqs = MOTO.sqs();
        SnsClient sns = MOTO.sns();
        String topic = sns.createTopic(b -> b.name("alerts")).topicArn();
        queueUrl = MOTO.subscribeQueue(topic, "alerts", java.util.Map.of());
        MOTO.dynamo().createTable(b -> b.tableName("guardrail").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build()));
        env = Map.of("TOPIC_ARN", topic, "TABLE_NAME", "guardrail",
                "GUARDRAIL_ROLE_ARN", "arn:aws:iam::123456789012:role/iam-guardrail-evaluator");
        Path events = Path.of(System.getProperty("project.root", "..")).resolve("events");
        createRole = JSON.readTree(events.resolve("create-role-lambda-execution.json").toFile());
        putRolePolicy = JSON.readTree(events.resolve("put-role-policy-scoped-s3.json").toFile());
        attachRolePolicy = JSON.readTree(events.resolve("attach-role-policy-lambda-basic.json").toFile());
    }

    @AfterAll
    void tearDown() {
        proxy.close();
    }

    @Test
    void aTerraformApplyAlertsEveryRiskyEventOnceWithBoundedLookups() throws Exception {
        int roles = Integer.getInteger("burst.roles", 200);
        Figures f = run("apply", roles, false, false);
        System.out.println(f.line("unthrottled"));
        // GetRole, ListRolePolicies, two GetRolePolicy, ListAttachedRolePolicies, and for a permission event a
        // GetPolicy per attached policy: at most 7 per permission event, 5 per CreateRole (its trust read live).
        assertThat(f.iamRequests()).as("IAM requests").isLessThanOrEqualTo(7L * roles * 4 + 5L * roles);
        assertThat(f.getPolicyVersion()).as("managed policy versions are cached per container").isLessThanOrEqualTo(2L * CONTAINERS);
    }

    @Test
    void throughTheQueueTheSameApplyCostsAtMostTwoIamRequestsPerEvent() throws Exception {
        int roles = Integer.getInteger("burst.roles", 200);
        Figures f = run("queued", roles, false, true);
        System.out.println(f.line("through the queue, batches of " + BATCH));
        assertThat(f.iamRequests()).as("IAM requests through the queue").isLessThanOrEqualTo(2L * f.events());
    }

    @Test
    void throughTheQueueUnderThrottlingEveryRiskyEventStillAlertsOnce() throws Exception {
        int roles = Integer.getInteger("burst.throttledRoles", 10);
        Figures f = run("queuedthrottled", roles, true, true);
        System.out.println(f.line("through the queue, every 10th IAM request throttled"));
        assertThat(f.iamFailed()).as("throttled requests").isPositive();
    }

    @Test
    void underThrottlingEveryRiskyEventStillAlertsOnceWithoutARetryStorm() throws Exception {
        int roles = Integer.getInteger("burst.throttledRoles", 10);
        Figures f = run("throttled", roles, true, false);
        System.out.println(f.line("every 10th IAM request throttled"));
        long answered = f.iamRequests() - f.iamFailed();
        assertThat(f.iamFailed()).as("throttled requests").isPositive();
        // No retry storm: each throttle costs one more request, so the total stays within a fifth of the clean cost
        // (7 per permission event, 5 per CreateRole) and throttles stay near one in ten.
        assertThat(f.iamRequests()).as("IAM requests under throttling").isLessThanOrEqualTo((7L * roles * 4 + 5L * roles) * 6 / 5);
        assertThat(f.iamFailed()).as("throttled vs answered").isLessThanOrEqualTo(answered / 8 + 1);
    }

    /**
     * @param queued through the evaluator's queue: the events reach it in the order the apply made them, a little
     *               shuffled (CloudTrail does not keep order), each container taking up to {@link #BATCH} waiting
     *               messages at a time as Lambda's poller does; a message the batch names as failed comes again, three
     *               deliveries at most. Otherwise each event is its own asynchronous invocation, in random order.
     */
    private Figures run(String prefix, int roles, boolean throttled, boolean queued) throws Exception {
        List<Generated> events = apply(prefix, roles);
        Random random = new Random(42);
        if (queued) {
            for (int i = 0; i < events.size(); i += 20) {
                Collections.shuffle(events.subList(i, Math.min(events.size(), i + 20)), random);
            }
        } else {
            Collections.shuffle(events, random);
        }
        drain();
        proxy.reset();
        if (throttled) {
            proxy.failEvery("iam", "*", Fault.THROTTLE, 10);
        }
        ConcurrentLinkedQueue<Generated> queue = new ConcurrentLinkedQueue<>(events);
        Map<String, String> verdicts = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> failureQueue = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger retried = new AtomicInteger();
        Map<String, Integer> deliveries = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(CONTAINERS);
        PrintStream out = System.out;
        long start = System.nanoTime();
        try {
            // The decision log of a thousand events would drown the test output; the figures are printed instead.
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CONTAINERS; c++) {
                EvaluatorHandler container = container();
                running.add(pool.submit(queued ? () -> {
                    pollBatches(container, queue, verdicts, failureQueue, retried, deliveries);
                    return null;
                } : () -> {
                    for (Generated g; (g = queue.poll()) != null; ) {
                        // As Lambda runs an asynchronous invocation: a failure is retried twice, then the event goes
                        // to the on-failure destination.
                        for (int attempt = 0; ; attempt++) {
                            try {
                                verdicts.put(g.id(), deliver(container, g.json()));
                                break;
                            } catch (Exception e) {
                                retried.incrementAndGet();
                                if (attempt == 2) {
                                    failureQueue.add(g.id() + ": " + e.getMessage());
                                    break;
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> r : running) {
                r.get();
            }
        } finally {
            System.setOut(out);
            pool.shutdownNow();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(failureQueue).as("events left in the failure queue").isEmpty();
        Map<String, List<JsonNode>> alerts = drain();
        for (Generated g : events) {
            List<JsonNode> got = alerts.getOrDefault(g.id(), List.of());
            if (g.alerts()) {
                assertThat(got).as("alerts for %s on %s (%s)", g.id(), g.role(), verdicts.get(g.id())).hasSize(1);
                List<String> rules = new ArrayList<>();
                got.get(0).get("findings").forEach(x -> rules.add(x.get("ruleId").asText()));
                assertThat(rules).as("rules alerted for %s", g.role()).contains(g.rule());
            } else {
                assertThat(got).as("alerts for %s on %s", g.id(), g.role()).isEmpty();
            }
        }
        Set<String> ours = new java.util.HashSet<>(events.stream().map(Generated::id).toList());
        assertThat(alerts.keySet()).as("no alert for an event that was not sent").isSubsetOf(ours);
        return new Figures(events.size(), millis, proxy.count("iam", "*"),
                proxy.calls().stream().filter(c -> c.service().equals("iam") && c.failed()).count(),
                proxy.count("iam", "GetPolicyVersion"), alerts.values().stream().mapToInt(List::size).sum(), retried.get(),
                new java.util.TreeMap<>(proxy.calls().stream().filter(c -> c.service().equals("iam")).collect(
                        java.util.stream.Collectors.groupingBy(FaultProxy.Call::action, java.util.stream.Collectors.counting()))));
    }

    private EvaluatorHandler container() {
        return new EvaluatorHandler(EvaluatorEnvironment.service(env, AwsClients.of(
                Clients.iamBuilder().endpointOverride(proxy.endpoint()).credentialsProvider(CREDENTIALS).build(),
                Clients.snsBuilder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).build(),
                Clients.dynamoBuilder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).build())));
    }

    /** Takes up to {@link #BATCH} messages at a time, as Lambda's poller hands them to one container. */
    private static void pollBatches(EvaluatorHandler container, ConcurrentLinkedQueue<Generated> queue,
                                    Map<String, String> verdicts, List<String> failureQueue, AtomicInteger retried,
                                    Map<String, Integer> deliveries) throws Exception {
        while (true) {
            List<Generated> batch = new ArrayList<>();
            for (Generated g; batch.size() < BATCH && (g = queue.poll()) != null; ) {
                batch.add(g);
            }
            if (batch.isEmpty()) {
                return;
            }
            ObjectNode delivery = JSON.createObjectNode();
            ArrayNode records = delivery.putArray("Records");
            batch.forEach(g -> records.addObject().put("messageId", g.id()).put("receiptHandle", "rh-" + g.id())
                    .put("body", g.json()).put("eventSource", "aws:sqs")
                    .put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:iam-guardrail-EvaluatorQueue")
                    .put("awsRegion", "us-east-1"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            container.handleRequest(new ByteArrayInputStream(delivery.toString().getBytes(StandardCharsets.UTF_8)), out,
                    null);
            Set<String> failed = new java.util.HashSet<>();
            JSON.readTree(out.toByteArray()).path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
            for (Generated g : batch) {
                if (!failed.contains(g.id())) {
                    verdicts.put(g.id(), "judged");
                    continue;
                }
                retried.incrementAndGet();
                if (deliveries.merge(g.id(), 1, Integer::sum) >= 3) {
                    failureQueue.add(g.id() + ": failed three deliveries");
                } else {
                    queue.add(g);
                }
            }
        }
    }

    private static String deliver(EvaluatorHandler container, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        container.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray()).get("verdict").asText();
    }

    /** Creates the roles in moto as the apply left them, and the events CloudTrail recorded on the way. */
    private List<Generated> apply(String prefix, int roles) {
        List<Generated> out = new ArrayList<>();
        AtomicInteger second = new AtomicInteger();
        for (int i = 0; i < roles; i++) {
            String role = prefix + "-svc-" + String.format("%03d", i) + "-exec";
            boolean passAny = i % 10 == 3;
            boolean admin = i % 20 == 7;
            String readReports = putRolePolicy.get("detail").get("requestParameters").get("policyDocument").asText();
            String logs = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogStream\","
                    + "\"logs:PutLogEvents\"],\"Resource\":\"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/" + role + ":*\"}]}";
            String deployDoc = passAny ? PASS_ANY : logs;
            String second2 = admin ? ADMIN : "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess";
            iam.createRole(b -> b.roleName(role).assumeRolePolicyDocument(LAMBDA_TRUST));
            iam.putRolePolicy(b -> b.roleName(role).policyName("read-reports").policyDocument(readReports));
            iam.putRolePolicy(b -> b.roleName(role).policyName("deploy").policyDocument(deployDoc));
            iam.attachRolePolicy(b -> b.roleName(role).policyArn(BASIC));
            iam.attachRolePolicy(b -> b.roleName(role).policyArn(second2));
            boolean risky = passAny || admin;
            String rule = passAny ? "PASSROLE_UNRESTRICTED" : "ADMIN_ACCESS";
            Map<String, String> trust = new LinkedHashMap<>();
            trust.put("roleName", role);
            trust.put("assumeRolePolicyDocument", LAMBDA_TRUST);
            out.add(event(createRole, trust, second, role, false, rule));
            out.add(event(putRolePolicy, Map.of("roleName", role, "policyName", "read-reports", "policyDocument", readReports),
                    second, role, risky, rule));
            out.add(event(putRolePolicy, Map.of("roleName", role, "policyName", "deploy", "policyDocument", deployDoc),
                    second, role, risky, rule));
            out.add(event(attachRolePolicy, Map.of("roleName", role, "policyArn", BASIC), second, role, risky, rule));
            out.add(event(attachRolePolicy, Map.of("roleName", role, "policyArn", second2), second, role, risky, rule));
        }
        return out;
    }

    private static Generated event(JsonNode template, Map<String, String> request, AtomicInteger second, String role,
                                   boolean alerts, String rule) {
        ObjectNode e = template.deepCopy();
        String id = UUID.randomUUID().toString();
        String time = java.time.Instant.parse("2026-11-28T16:00:00Z").plusSeconds(second.getAndIncrement()).toString();
        e.put("id", UUID.randomUUID().toString()).put("time", time);
        ObjectNode detail = (ObjectNode) e.get("detail");
        detail.put("eventID", id).put("requestID", UUID.randomUUID().toString()).put("eventTime", time);
        ObjectNode params = detail.putObject("requestParameters");
        request.forEach(params::put);
        detail.putNull("responseElements");
        return new Generated(id, e.toString(), role, alerts, rule);
    }

    /** Every alert on the topic, by event id. */
    private Map<String, List<JsonNode>> drain() throws Exception {
        Map<String, List<JsonNode>> out = new HashMap<>();
        int empty = 0;
        while (empty < 2) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            empty = messages.isEmpty() ? empty + 1 : 0;
            for (Message m : messages) {
                JsonNode alert = JSON.readTree(JSON.readTree(m.body()).get("Message").asText());
                out.computeIfAbsent(alert.get("event").get("id").asText(), k -> new ArrayList<>()).add(alert);
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return out;
    }
}
