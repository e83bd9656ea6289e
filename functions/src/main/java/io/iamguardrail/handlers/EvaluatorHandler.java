package io.iamguardrail.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.iamguardrail.aws.AwsIamPort;
import io.iamguardrail.aws.CloudTrailConfirmation;
import io.iamguardrail.aws.DynamoDbOwnChanges;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.DynamoDbRateGuard;
import io.iamguardrail.aws.DynamoDbSnapshotStore;
import io.iamguardrail.aws.KmsSigner;
import io.iamguardrail.aws.S3BackupStore;
import io.iamguardrail.json.NodeWriter;
import io.iamguardrail.remediation.EventGate;
import io.iamguardrail.remediation.Executor;
import io.iamguardrail.remediation.OwnChanges;
import io.iamguardrail.remediation.RecordingIamPort;
import io.iamguardrail.remediation.PlanOnly;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.remediation.RateGuard;
import io.iamguardrail.remediation.Remediator;
import io.iamguardrail.remediation.Signer;
import io.iamguardrail.remediation.SnapshotStore;
import io.iamguardrail.aws.DynamoDbAlertedFindings;
import io.iamguardrail.aws.DynamoDbEventLedger;
import io.iamguardrail.aws.LiveIamState;
import io.iamguardrail.aws.SnsAlertPublisher;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.EnvironmentOverrides;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.pipeline.AlertedFindings;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.pipeline.EventLedger;
import io.iamguardrail.pipeline.GuardrailIdentity;
import io.iamguardrail.pipeline.OperationsCopy;
import io.iamguardrail.pipeline.AlertPublisher;
import io.iamguardrail.tamper.OwnStack;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.pipeline.LiveAssessor;
import io.iamguardrail.pipeline.Invocation;
import io.iamguardrail.pipeline.Secrets;
import io.iamguardrail.pipeline.Verdict;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The evaluator Lambda: EventBridge invokes it with one CloudTrail IAM event. Thin: read the bytes, call the use
 * case, answer. A malformed event fails the invocation, so Lambda's retries and the on-failure destination keep it.
 *
 * <p>Environment: {@code TOPIC_ARN} (required), {@code TABLE_NAME} (idempotency, snapshots, the rate guard and the
 * record of alerted findings the weekly audit reads, optional),
 * {@code GUARDRAIL_ROLE_ARN} (loop guard), {@code GUARDRAIL_CONFIG} (the YAML configuration, optional), the
 * template parameters that override it (see {@link EnvironmentOverrides}: {@code MODE}, {@code ALERT_THRESHOLD},
 * {@code TRUSTED_ACCOUNT_IDS}, {@code EXEMPT_PRINCIPAL_ARNS}), for remediation {@code BACKUP_BUCKET},
 * {@code QUARANTINE_POLICY_ARN}, {@code MAX_REMEDIATIONS_PER_MINUTE}, {@code MAC_KEY_ID} (the KMS HMAC key backups and
 * snapshots are signed with), and {@code PRIMING}.
 */
public final class EvaluatorHandler implements RequestStreamHandler {

    private final GuardrailService service;
    /** Held here: the checkpoint context keeps only weak references to its resources. */
    private final Priming priming;
    /** Without priming, only the heap is made ready for a snapshot; held for the same reason. */
    private SnapshotHeap snapshotHeap;

    /**
     * Lambda's constructor: wires the real clients once per container and primes them. {@code PRIMING} chooses
     * when: {@code snapstart} (the default) in SnapStart's beforeCheckpoint hook, so that the snapshot holds the
     * warmed state and an on-demand init stays short; {@code init} here, in the init phase; {@code off} never.
     */
    public EvaluatorHandler() {
        this(System.getenv(), Clients.iam(), Clients.sns(), Clients.dynamo());
    }

    private EvaluatorHandler(Map<String, String> env, software.amazon.awssdk.services.iam.IamClient iam,
                             software.amazon.awssdk.services.sns.SnsClient sns,
                             software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo) {
        // `sam local invoke --env-vars events/env.json` sets OFFLINE=true: honoured under SAM CLI only.
        this.service = LocalFunctions.offline(env) ? LocalFunctions.offlineEvaluator(env, System.out)
                : service(env, iam, sns, dynamo, Clients::s3);
        java.util.List<Priming.ClientWarmup> warmups = new java.util.ArrayList<>();
        warmups.add(rehearsal(env));
        warmups.addAll(clientWarmups(env, iam, sns, dynamo));
        this.priming = new Priming(service.config(), System.out, warmups);
        String when = env.getOrDefault("PRIMING", "snapstart").trim();
        switch (when) {
            case "snapstart" -> org.crac.Core.getGlobalContext().register(priming);
            case "init" -> priming.prime("init");
            case "off" -> this.snapshotHeap = SnapshotHeap.registerForCheckpoint();
            default -> throw new IllegalStateException(
                    "expected PRIMING to be snapstart, init or off but found `" + when + "`");
        }
    }

    /** For tests: the use case with ports of their choosing. */
    public EvaluatorHandler(GuardrailService service) {
        this.service = service;
        this.priming = new Priming(service.config(), System.out);
    }

    /**
     * The bundled event through this function's own pipeline (same configuration, same mode), its clients answered
     * by {@link Clients.Rehearsal}: every class and code path of a real invocation is loaded and run, nothing is
     * sent, and the decision log of the rehearsal is discarded so that it counts in no metric.
     */
    static Priming.ClientWarmup rehearsal(Map<String, String> env) {
        return new Priming.ClientWarmup("rehearsal", () -> rehearse(env));
    }

    /** Runs the rehearsal and gives the operations it answered, e.g. {@code iam:GetRole}. */
    static java.util.List<String> rehearse(Map<String, String> env) {
        try (Clients.Rehearsal clients = Clients.Rehearsal.create();
             java.io.PrintStream discard = new java.io.PrintStream(java.io.OutputStream.nullOutputStream())) {
            // The bundled event is old and CloudTrail has no record of it: the rehearsal lets it through the gate.
            Map<String, String> rehearsal = new java.util.HashMap<>(env);
            rehearsal.put("CONFIRM_EVENTS", "false");
            rehearsal.put("MAX_EVENT_AGE_HOURS", Long.toString(Long.MAX_VALUE / 3600));
            GuardrailService rehearsed = service(rehearsal, clients.iam(), clients.sns(), clients.dynamo(), clients::s3,
                    clients::kms, discard);
            byte[] event = Priming.bundledEvent();
            for (int i = 0; i < REHEARSALS; i++) {
                Verdict verdict = rehearsed.process(event, "priming").decision().verdict();
                if (verdict != Verdict.ALERT) {
                    throw new IllegalStateException("expected the rehearsal to alert but it gave " + verdict);
                }
            }
            return clients.answered();
        }
    }

    /**
     * Rehearsals of the bundled event: enough for C1 to compile the SDK's request path (marshalling, signing,
     * interceptors, unmarshalling), which a handful left interpreted: 3 rounds left the second real invoke at
     * 55 ms on the loopback stand-in, 30 rounds at 47 ms, for half a second more before the snapshot.
     */
    static final int REHEARSALS = 30;

    /** Read-only calls on the guardrail's own resources: its role, its topic, a key nobody writes. */
    static java.util.List<Priming.ClientWarmup> clientWarmups(Map<String, String> env,
                                                             software.amazon.awssdk.services.iam.IamClient iam,
                                                             software.amazon.awssdk.services.sns.SnsClient sns,
                                                             software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo) {
        java.util.List<Priming.ClientWarmup> warmups = new java.util.ArrayList<>();
        String role = env.getOrDefault("GUARDRAIL_ROLE_ARN", "");
        if (role.contains(":role/")) {
            String name = role.substring(role.lastIndexOf('/') + 1);
            warmups.add(new Priming.ClientWarmup("iam", () -> iam.getRole(b -> b.roleName(name))));
        }
        String topic = env.getOrDefault("TOPIC_ARN", "");
        if (!topic.isBlank()) {
            warmups.add(new Priming.ClientWarmup("sns", () -> sns.getTopicAttributes(b -> b.topicArn(topic))));
        }
        String table = env.getOrDefault("TABLE_NAME", "");
        if (!table.isBlank()) {
            warmups.add(new Priming.ClientWarmup("dynamodb", () -> dynamo.getItem(b -> b.tableName(table).key(Map.of("pk",
                    software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("priming#never-written"))))));
        }
        return warmups;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        GuardrailService.Outcome outcome = service.process(event, invocation(context));
        if (outcome.decision().verdict() == Verdict.ERROR) {
            throw new IllegalArgumentException(Secrets.redact(outcome.decision().reason()));
        }
        if (outcome.retry().isPresent()) {
            // Failing is how Lambda is asked to deliver the event again (and, after its retries, to keep it).
            throw new IllegalStateException(Secrets.redact(outcome.retry().get()));
        }
        String answer = "{\"verdict\":\"" + outcome.decision().verdict() + "\",\"eventId\":"
                + NodeWriter.quote(outcome.decision().eventId()) + ",\"messageId\":"
                + outcome.messageId().map(NodeWriter::quote).orElse("null") + "}";
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The invocation as the runtime tells it: the account comes from the invoked function's ARN, never from the
     * event; the claim on the event lasts until a little after this invocation must have ended.
     */
    static Invocation invocation(Context context) {
        if (context == null) {
            // Outside Lambda (tests, a harness): each call is its own invocation.
            return Invocation.local("lambda-" + java.util.UUID.randomUUID());
        }
        Instant until = Instant.now().plusMillis(Math.max(0, context.getRemainingTimeInMillis())).plus(LEASE_MARGIN);
        return new Invocation(context.getAwsRequestId(), Invocation.accountOfFunctionArn(context.getInvokedFunctionArn()),
                until);
    }

    /** How long a claim outlives the invocation that holds it: its clock and the ledger's may differ a little. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

    /** The use case wired from the Lambda environment and the given clients (tests pass emulator clients). */
    public static GuardrailService service(Map<String, String> env, software.amazon.awssdk.services.iam.IamClient iam,
                                           software.amazon.awssdk.services.sns.SnsClient sns,
                                           software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo) {
        return service(env, iam, sns, dynamo, Clients::s3);
    }

    /**
     * Remediation: {@code MODE} (ALERT or REMEDIATE) overrides the configuration; REMEDIATE acts only with
     * {@code BACKUP_BUCKET}; {@code QUARANTINE_POLICY_ARN} is the stack's deny-all policy; {@code GUARDRAIL_ROLE_ARN}
     * is never remediated; {@code TABLE_NAME} also holds the last-known-good snapshots and the rate guard's counter.
     */
    public static GuardrailService service(Map<String, String> env, software.amazon.awssdk.services.iam.IamClient iam,
                                           software.amazon.awssdk.services.sns.SnsClient sns,
                                           software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo,
                                           java.util.function.Supplier<software.amazon.awssdk.services.s3.S3Client> s3) {
        return service(env, iam, sns, dynamo, s3, Clients::kms, System.out);
    }

    /** With the MAC key's client too ({@code MAC_KEY_ID}: backups and snapshots are signed with it). */
    public static GuardrailService service(Map<String, String> env, software.amazon.awssdk.services.iam.IamClient iam,
                                           software.amazon.awssdk.services.sns.SnsClient sns,
                                           software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo,
                                           java.util.function.Supplier<software.amazon.awssdk.services.s3.S3Client> s3,
                                           java.util.function.Supplier<KmsClient> kms) {
        return service(env, iam, sns, dynamo, s3, kms, System.out);
    }

    private static GuardrailService service(Map<String, String> env, software.amazon.awssdk.services.iam.IamClient iam,
                                            software.amazon.awssdk.services.sns.SnsClient sns,
                                            software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo,
                                            java.util.function.Supplier<software.amazon.awssdk.services.s3.S3Client> s3,
                                            java.util.function.Supplier<KmsClient> kms, java.io.PrintStream log) {
        String topic = env.get("TOPIC_ARN");
        if (topic == null || topic.isBlank()) {
            throw new IllegalStateException("expected the environment variable TOPIC_ARN (the alert topic) but it is not set");
        }
        GuardrailConfig config = FunctionConfig.fromEnvironment(env);
        LiveIamState state = new LiveIamState(iam, ManagedPolicySnapshot.bundled());
        String table = env.get("TABLE_NAME");
        EventLedger ledger = table == null || table.isBlank() ? EventLedger.NONE
                : new DynamoDbEventLedger(dynamo, table, Clock.systemUTC());
        AlertedFindings alerted = table == null || table.isBlank() ? AlertedFindings.NONE
                : new DynamoDbAlertedFindings(dynamo, table, Clock.systemUTC());
        OwnChanges own = table == null || table.isBlank() ? OwnChanges.inMemory(Clock.systemUTC())
                : new DynamoDbOwnChanges(dynamo, table, Clock.systemUTC());
        EventEvaluator evaluator = new EventEvaluator(state, config, GuardrailIdentity.of(
                Optional.ofNullable(env.get("GUARDRAIL_ROLE_ARN")), Optional.ofNullable(env.get("GUARDRAIL_ROLE_ARNS")), own),
                OwnStack.fromEnvironment(env));
        String operations = env.getOrDefault("OPERATIONS_TOPIC_ARN", "");
        AlertPublisher publisher = operations.isBlank() ? new SnsAlertPublisher(sns, topic)
                : new OperationsCopy(new SnsAlertPublisher(sns, topic), new SnsAlertPublisher(sns, operations));
        return new GuardrailService(evaluator, publisher, ledger,
                new DecisionLog(log, Clock.systemUTC()), state::calls,
                remediator(env, config, iam, dynamo, s3, kms, new LiveAssessor(state, evaluator), own), alerted);
    }

    private static Remediator remediator(Map<String, String> env, GuardrailConfig config,
                                         software.amazon.awssdk.services.iam.IamClient iam,
                                         software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo,
                                         java.util.function.Supplier<software.amazon.awssdk.services.s3.S3Client> s3,
                                         java.util.function.Supplier<KmsClient> kms, LiveAssessor assessor,
                                         OwnChanges own) {
        Planner planner = new Planner(config, Clock.systemUTC());
        String bucket = env.get("BACKUP_BUCKET");
        if (config.mode() != GuardrailConfig.Mode.REMEDIATE) {
            return new PlanOnly(planner);
        }
        if (bucket == null || bucket.isBlank()) {
            return new PlanOnly(planner, Optional.of("no backup store: BACKUP_BUCKET is not set"));
        }
        String table = env.get("TABLE_NAME");
        boolean hasTable = table != null && !table.isBlank();
        int max = config.remediation().maxPerMinute();
        String key = env.get("MAC_KEY_ID");
        Signer signer = key == null || key.isBlank() ? Signer.NONE : new KmsSigner(kms.get(), key);
        // Without a MAC key backups are written unsigned (restore refuses them unless told otherwise) and no
        // snapshot is kept: a snapshot nobody can verify is never written back to IAM.
        return new Executor(planner, new RecordingIamPort(new AwsIamPort(iam), own),
                new S3BackupStore(s3.get(), bucket, signer),
                hasTable && signer.keyId().isPresent() ? new DynamoDbSnapshotStore(dynamo, table, signer, Clock.systemUTC())
                        : SnapshotStore.NONE,
                hasTable ? new DynamoDbRateGuard(dynamo, table, max, Clock.systemUTC()) : RateGuard.inMemory(max, Clock.systemUTC()),
                Clock.systemUTC(), assessor, gate(env));
    }

    /**
     * Events older than {@code MAX_EVENT_AGE_HOURS} (default 24) never remediate; with {@code CONFIRM_EVENTS}
     * (default true) CloudTrail must confirm an event before anything is written on its strength.
     */
    static EventGate gate(Map<String, String> env) {
        String hours = env.getOrDefault("MAX_EVENT_AGE_HOURS", "24").trim();
        Duration maxAge;
        try {
            maxAge = Duration.ofHours(Long.parseLong(hours));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("expected MAX_EVENT_AGE_HOURS to be a whole number of hours but found `"
                    + hours + "`");
        }
        String confirm = env.getOrDefault("CONFIRM_EVENTS", "true").trim();
        if (!confirm.equals("true") && !confirm.equals("false")) {
            throw new IllegalStateException("expected CONFIRM_EVENTS to be true or false but found `" + confirm + "`");
        }
        return new EventGate(Clock.systemUTC(), Optional.of(maxAge), confirm.equals("true")
                ? Optional.of(new CloudTrailConfirmation(Clients.cloudTrail())) : Optional.empty());
    }
}
