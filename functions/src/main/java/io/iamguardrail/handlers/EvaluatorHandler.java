package io.iamguardrail.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.iamguardrail.aws.AwsIamPort;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.DynamoDbRateGuard;
import io.iamguardrail.aws.DynamoDbSnapshotStore;
import io.iamguardrail.aws.S3BackupStore;
import io.iamguardrail.remediation.Executor;
import io.iamguardrail.remediation.PlanOnly;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.remediation.RateGuard;
import io.iamguardrail.remediation.Remediator;
import io.iamguardrail.remediation.SnapshotStore;
import io.iamguardrail.aws.DynamoDbEventLedger;
import io.iamguardrail.aws.LiveIamState;
import io.iamguardrail.aws.SnsAlertPublisher;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.ConfigException;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.pipeline.EventLedger;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.pipeline.Verdict;
import io.iamguardrail.rules.Rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The evaluator Lambda: EventBridge invokes it with one CloudTrail IAM event. Thin: read the bytes, call the use
 * case, answer. A malformed event fails the invocation, so Lambda's retries and the on-failure destination keep it.
 *
 * <p>Environment: {@code TOPIC_ARN} (required), {@code TABLE_NAME} (idempotency, optional),
 * {@code GUARDRAIL_ROLE_ARN} (loop guard), {@code GUARDRAIL_CONFIG} (the YAML configuration, optional), and for
 * remediation {@code MODE}, {@code BACKUP_BUCKET}, {@code QUARANTINE_POLICY_ARN}.
 */
public final class EvaluatorHandler implements RequestStreamHandler {

    private final GuardrailService service;

    /** Lambda's constructor: wires the real clients once per container. */
    public EvaluatorHandler() {
        this(service(System.getenv(), Clients.iam(), Clients.sns(), Clients.dynamo(), Clients::s3));
    }

    /** For tests: the use case with ports of their choosing. */
    public EvaluatorHandler(GuardrailService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        GuardrailService.Outcome outcome = service.process(event, context == null ? "lambda" : context.getAwsRequestId());
        if (outcome.decision().verdict() == Verdict.ERROR) {
            throw new IllegalArgumentException(outcome.decision().reason());
        }
        String answer = "{\"verdict\":\"" + outcome.decision().verdict() + "\",\"eventId\":"
                + SnsAlertPublisher.quoteJson(outcome.decision().eventId()) + ",\"messageId\":"
                + outcome.messageId().map(SnsAlertPublisher::quoteJson).orElse("null") + "}";
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }

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
        String topic = env.get("TOPIC_ARN");
        if (topic == null || topic.isBlank()) {
            throw new IllegalStateException("expected the environment variable TOPIC_ARN (the alert topic) but it is not set");
        }
        GuardrailConfig config = GuardrailConfig.defaults();
        String yaml = env.get("GUARDRAIL_CONFIG");
        if (yaml != null && !yaml.isBlank()) {
            try {
                config = new ConfigLoader(Rules.configurableIds()).load(yaml, "GUARDRAIL_CONFIG");
            } catch (ConfigException e) {
                throw new IllegalStateException("invalid configuration: " + e.getMessage(), e);
            }
        }
        String mode = env.get("MODE");
        if (mode != null && !mode.isBlank()) {
            try {
                config = config.withMode(GuardrailConfig.Mode.valueOf(mode.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("expected MODE to be ALERT or REMEDIATE but found `" + mode + "`");
            }
        }
        String quarantine = env.get("QUARANTINE_POLICY_ARN");
        if (quarantine != null && !quarantine.isBlank()) {
            config = config.withRemediation(config.remediation().withQuarantinePolicy(quarantine));
        }
        String own = env.get("GUARDRAIL_ROLE_ARN");
        if (own != null && !own.isBlank()) {
            config = config.withRemediation(config.remediation().withGuardrailRole(own));
        }
        LiveIamState state = new LiveIamState(iam, ManagedPolicySnapshot.bundled());
        String table = env.get("TABLE_NAME");
        EventLedger ledger = table == null || table.isBlank() ? EventLedger.NONE
                : new DynamoDbEventLedger(dynamo, table, Clock.systemUTC());
        EventEvaluator evaluator = new EventEvaluator(state, config, Optional.ofNullable(env.get("GUARDRAIL_ROLE_ARN")));
        return new GuardrailService(evaluator, new SnsAlertPublisher(sns, topic), ledger,
                new DecisionLog(System.out, Clock.systemUTC()), state::calls, remediator(env, config, iam, dynamo, s3));
    }

    private static Remediator remediator(Map<String, String> env, GuardrailConfig config,
                                         software.amazon.awssdk.services.iam.IamClient iam,
                                         software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo,
                                         java.util.function.Supplier<software.amazon.awssdk.services.s3.S3Client> s3) {
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
        return new Executor(planner, new AwsIamPort(iam), new S3BackupStore(s3.get(), bucket),
                hasTable ? new DynamoDbSnapshotStore(dynamo, table, Clock.systemUTC()) : SnapshotStore.NONE,
                hasTable ? new DynamoDbRateGuard(dynamo, table, max, Clock.systemUTC()) : RateGuard.inMemory(max, Clock.systemUTC()),
                Clock.systemUTC());
    }
}
