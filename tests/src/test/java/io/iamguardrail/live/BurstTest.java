package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.IamRequests;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Terraform apply as CloudTrail reports it: for each role a CreateRole, two PutRolePolicy and two AttachRolePolicy
 * (shapes copied from {@code events/}), the state created in moto first, then every event through the evaluator in
 * parallel containers, through the {@link FaultProxy}: one invocation per event in shuffled order, or through the
 * evaluator's queue as the apply emits them. One role in ten gets {@code iam:PassRole} on {@code *} inline, one in
 * twenty AdministratorAccess. Every event that leaves a risky role must be named by exactly one alert (each judges the
 * role's effective permissions; through the queue one alert names the events of a role in one batch), no other event
 * may be named, and the IAM requests per event stay bounded; under throttling of every tenth IAM request the same
 * holds, with no retry storm; with the read limit on, IAM sees no more than the guardrail's share.
 *
 * <p>CI runs 200 roles (1,000 events), 10 throttled roles (50 events) and 20 limited roles (100 events);
 * {@code bench/burst.sh} runs 200, 40 and 20 and prints the figures ({@code -Dburst.roles},
 * {@code -Dburst.throttledRoles}, {@code -Dburst.limitedRoles}, {@code -Dburst.readsPerSecond},
 * {@code -Dburst.windowSeconds}, {@code -Dburst.eventsPerSecond}).
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
    /** SQS hands a poller at most ten messages per ReceiveMessage. */
    private static final int RECEIVE = 10;
    /** The template's default batching window ({@code EventBatchWindowSeconds}). */
    private static final Duration WINDOW = Duration.ofSeconds(Integer.getInteger("burst.windowSeconds", 10));
    /** How fast the apply's events reach the queue: Terraform's ten parallel operations, about 20 ms each. */
    private static final int EVENTS_PER_SECOND = Integer.getInteger("burst.eventsPerSecond", 500);

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

    /**
     * What a run measured: {@code alerts} messages published, naming {@code riskyNamed} risky events;
     * {@code lastAlertAfterLastEvent}, through the queue, from the apply's last event to the end of the last batch.
     */
    record Figures(int events, long millis, long iamRequests, long iamFailed, long getPolicyVersion, long peakPerSecond,
                   int alerts, int riskyNamed, Optional<Duration> lastAlertAfterLastEvent, int retriedInvocations,
                   Map<String, Long> byAction) {
        String line(String label) {
            return String.format(java.util.Locale.ROOT, "burst %s: %d events in %.1f s (%.1f events/s), %d IAM requests"
                            + " (%.2f per event, at most %d in one second, %d throttled, %d GetPolicyVersion), %d alerts"
                            + " naming %d risky events%s, %d invocations failed and retried; IAM by action: %s",
                    label, events, millis / 1000.0, events * 1000.0 / Math.max(1, millis), iamRequests,
                    iamRequests / (double) events, peakPerSecond, iamFailed, getPolicyVersion, alerts, riskyNamed,
                    lastAlertAfterLastEvent.map(d -> String.format(java.util.Locale.ROOT,
                            ", last alert %.1f s after the last event", d.toMillis() / 1000.0)).orElse(""),
                    retriedInvocations, byAction);
        }
    }

    /** Alerts on the topic: each message, and by every event it names (its own and its {@code otherEvents}). */
    record Drained(int messages, Map<String, List<JsonNode>> byEvent) {
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
    void throughTheQueueWithTheReadLimitOnTheGuardrailTakesNoMoreThanItsShareOfIam() throws Exception {
        int roles = Integer.getInteger("burst.limitedRoles", 20);
        int perSecond = Integer.getInteger("burst.readsPerSecond", 2);
        Figures f = run("limited", roles, false, true, perSecond);
        System.out.println(f.line("through the queue, IAM reads limited to " + perSecond + "/s per container"));
        // Each container's bucket holds one second's worth and refills at the rate: within any one second, at most
        // twice the rate per container, whatever the machine's speed.
        assertThat(f.peakPerSecond()).as("IAM requests within any one second").isLessThanOrEqualTo(2L * perSecond * CONTAINERS);
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
        return run(prefix, roles, throttled, queued, 0);
    }

    /** @param readsPerSecond each container's IAM read limit ({@code IamReadsPerSecond}); 0: none */
    private Figures run(String prefix, int roles, boolean throttled, boolean queued, int readsPerSecond) throws Exception {
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
        IamRequests.Count sdkBefore = IamRequests.CONTAINER.count();
        ConcurrentLinkedQueue<Generated> queue = new ConcurrentLinkedQueue<>(queued ? List.of() : events);
        Feed feed = new Feed(queue, events);
        Map<String, String> verdicts = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> failureQueue = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger retried = new AtomicInteger();
        Map<String, Integer> deliveries = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(CONTAINERS + 1);
        PrintStream out = System.out;
        long start = System.nanoTime();
        try {
            // The decision log of a thousand events would drown the test output; the figures are printed instead.
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            List<Future<?>> running = new ArrayList<>();
            if (queued) {
                running.add(pool.submit(() -> {
                    feed.run();
                    return null;
                }));
            }
            for (int c = 0; c < CONTAINERS; c++) {
                EvaluatorHandler container = container(readsPerSecond);
                running.add(pool.submit(queued ? () -> {
                    pollBatches(container, feed, verdicts, failureQueue, retried, deliveries);
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
        Drained drained = drain();
        Map<String, List<JsonNode>> alerts = drained.byEvent();
        int riskyNamed = 0;
        for (Generated g : events) {
            List<JsonNode> got = alerts.getOrDefault(g.id(), List.of());
            riskyNamed += g.alerts() && got.size() == 1 ? 1 : 0;
            if (g.alerts()) {
                assertThat(got).as("alerts naming %s on %s (%s)", g.id(), g.role(), verdicts.get(g.id())).hasSize(1);
                assertThat(got.get(0).get("target").asText()).as("the alert naming %s", g.id()).contains("role " + g.role());
                List<String> rules = new ArrayList<>();
                got.get(0).get("findings").forEach(x -> rules.add(x.get("ruleId").asText()));
                assertThat(rules).as("rules alerted for %s", g.role()).contains(g.rule());
            } else {
                assertThat(got).as("alerts for %s on %s", g.id(), g.role()).isEmpty();
            }
        }
        Set<String> ours = new java.util.HashSet<>(events.stream().map(Generated::id).toList());
        assertThat(alerts.keySet()).as("no alert for an event that was not sent").isSubsetOf(ours);
        assertThat(drained.messages()).as("alerts: never more than the risky events they name").isLessThanOrEqualTo(riskyNamed);
        // The functions' IamRequests and IamThrottles metrics count what IAM saw, the SDK's retries included.
        IamRequests.Count sdk = IamRequests.CONTAINER.count().since(sdkBefore);
        assertThat(sdk.sent()).as("IAM requests the SDK counted").isEqualTo(proxy.count("iam", "*"));
        assertThat(sdk.throttled()).as("throttled attempts the SDK counted")
                .isEqualTo(proxy.calls().stream().filter(c -> c.service().equals("iam") && c.failed()).count());
        return new Figures(events.size(), millis, proxy.count("iam", "*"),
                proxy.calls().stream().filter(c -> c.service().equals("iam") && c.failed()).count(),
                proxy.count("iam", "GetPolicyVersion"), peakPerSecond(), drained.messages(), riskyNamed,
                queued ? Optional.of(Duration.ofNanos(feed.lastBatchEnd.get() - feed.lastEvent.get())) : Optional.empty(),
                retried.get(),
                new java.util.TreeMap<>(proxy.calls().stream().filter(c -> c.service().equals("iam")).collect(
                        java.util.stream.Collectors.groupingBy(FaultProxy.Call::action, java.util.stream.Collectors.counting()))));
    }

    private EvaluatorHandler container(int readsPerSecond) {
        Map<String, String> limited = new HashMap<>(env);
        limited.put("IAM_READS_PER_SECOND", String.valueOf(readsPerSecond));
        return new EvaluatorHandler(EvaluatorEnvironment.service(limited, AwsClients.of(
                Clients.iamBuilder().endpointOverride(proxy.endpoint()).credentialsProvider(CREDENTIALS).build(),
                Clients.snsBuilder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).build(),
                Clients.dynamoBuilder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).build())));
    }

    /**
     * The apply's events reaching the queue at {@link #EVENTS_PER_SECOND}, in order; the time of the last, and of the
     * end of the last batch any container ran.
     */
    private static final class Feed implements Runnable {
        final ConcurrentLinkedQueue<Generated> queue;
        final List<Generated> events;
        final AtomicLong lastEvent = new AtomicLong();
        final AtomicLong lastBatchEnd = new AtomicLong();
        final AtomicInteger inFlight = new AtomicInteger();
        volatile boolean done;

        Feed(ConcurrentLinkedQueue<Generated> queue, List<Generated> events) {
            this.queue = queue;
            this.events = events;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            for (int i = 0; i < events.size(); i++) {
                long due = start + i * 1_000_000_000L / EVENTS_PER_SECOND;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                queue.add(events.get(i));
            }
            lastEvent.set(System.nanoTime());
            done = true;
        }

        /** Nothing left to come: the apply is over, the queue empty, and no batch running that could fail a message. */
        boolean drained() {
            return done && queue.isEmpty() && inFlight.get() == 0;
        }
    }

    /**
     * As Lambda's poller feeds one container: messages received ten at a time, a batch handed over when it holds
     * {@link #BATCH} or its first message has waited {@link #WINDOW}; a message the batch names as failed comes again.
     */
    private static void pollBatches(EvaluatorHandler container, Feed feed, Map<String, String> verdicts,
                                    List<String> failureQueue, AtomicInteger retried, Map<String, Integer> deliveries)
            throws Exception {
        while (true) {
            List<Generated> batch = new ArrayList<>();
            long first = 0;
            while (batch.size() < BATCH) {
                int before = batch.size();
                for (Generated g; batch.size() < BATCH && batch.size() - before < RECEIVE && (g = feed.queue.poll()) != null; ) {
                    feed.inFlight.incrementAndGet();
                    batch.add(g);
                }
                if (before == 0 && !batch.isEmpty()) {
                    first = System.nanoTime();
                }
                if (batch.isEmpty() && feed.drained()) {
                    return;
                }
                if (!batch.isEmpty() && System.nanoTime() - first >= WINDOW.toNanos()) {
                    break;
                }
                Thread.sleep(20); // a ReceiveMessage's round trip: the other pollers receive meanwhile
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
            feed.lastBatchEnd.accumulateAndGet(System.nanoTime(), Math::max);
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
                    feed.queue.add(g);
                }
            }
            feed.inFlight.addAndGet(-batch.size());
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

    /** The most IAM requests the proxy saw within any one second. */
    private long peakPerSecond() {
        List<Long> at = proxy.calls().stream().filter(c -> c.service().equals("iam")).map(FaultProxy.Call::atNanos)
                .sorted().toList();
        long peak = 0;
        for (int first = 0, last = 0; last < at.size(); last++) {
            while (at.get(last) - at.get(first) >= 1_000_000_000L) {
                first++;
            }
            peak = Math.max(peak, last - first + 1);
        }
        return peak;
    }

    /** Every alert on the topic, under each event it names. */
    private Drained drain() throws Exception {
        Map<String, List<JsonNode>> out = new HashMap<>();
        int count = 0;
        int empty = 0;
        while (empty < 2) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            empty = messages.isEmpty() ? empty + 1 : 0;
            for (Message m : messages) {
                JsonNode alert = JSON.readTree(JSON.readTree(m.body()).get("Message").asText());
                count++;
                out.computeIfAbsent(alert.get("event").get("id").asText(), k -> new ArrayList<>()).add(alert);
                alert.path("otherEvents").forEach(o -> out.computeIfAbsent(o.get("id").asText(), k -> new ArrayList<>()).add(alert));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return new Drained(count, out);
    }
}
