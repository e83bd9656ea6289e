package io.iamguardrail.wiring;

import io.iamguardrail.audit.AccessAdvisor;
import io.iamguardrail.audit.Audit;
import io.iamguardrail.audit.KnownAlerts;
import io.iamguardrail.audit.ScheduledAudit;
import io.iamguardrail.aws.DynamoDbKnownAlerts;
import io.iamguardrail.aws.IamAccessAdvisor;
import io.iamguardrail.aws.LiveAccountReader;
import io.iamguardrail.aws.S3ReportStore;
import io.iamguardrail.aws.SnsAlertPublisher;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.EnvironmentOverrides;
import io.iamguardrail.config.GuardrailConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The audit function's environment, as template.yaml sets it, and its wiring: {@code REPORT_BUCKET} (required),
 * {@code TOPIC_ARN} (required), {@code UNUSED_DAYS} (default 90), {@code ACCESS_ADVISOR} ({@code true} by default;
 * {@code false} skips the Access Advisor jobs), {@code ADVISOR_LIMIT} (principals asked per run, default 1000),
 * {@code TABLE_NAME} (the evaluator's table: findings it alerted on in real time are known, optional),
 * {@code GUARDRAIL_CONFIG} (the YAML configuration), and the template parameters that override it
 * ({@link EnvironmentOverrides}). A bad value fails the function's init with the reason.
 */
public final class AuditEnvironment {

    /** How the sweep names itself in its reports and summary. */
    public static final String TOOL = "iam-guardrail audit";

    private AuditEnvironment() {
    }

    /** The use case wired from the Lambda environment and the given clients (tests pass emulator clients). */
    public static ScheduledAudit audit(Map<String, String> env, IamClient iam, S3Client s3, SnsClient sns) {
        return audit(env, iam, s3, sns, null);
    }

    /** With the DynamoDB client that reads the real-time alerts when {@code TABLE_NAME} is set. */
    public static ScheduledAudit audit(Map<String, String> env, IamClient iam, S3Client s3, SnsClient sns,
                                       DynamoDbClient dynamo) {
        Settings s = settings(env);
        AccessAdvisor advisor = s.accessAdvisor() ? new IamAccessAdvisor(iam) : AccessAdvisor.NONE;
        ManagedPolicySnapshot snapshot = ManagedPolicySnapshot.bundled();
        LiveAccountReader reader = new LiveAccountReader(iam, snapshot);
        KnownAlerts alerts = KnownAlerts.NONE;
        if (s.table().isPresent()) {
            if (dynamo == null) {
                throw new IllegalStateException("expected a DynamoDB client to read TABLE_NAME `" + s.table().get()
                        + "` but none was given");
            }
            alerts = new DynamoDbKnownAlerts(dynamo, s.table().get());
        }
        return new ScheduledAudit(reader::read, s.audit(advisor, snapshot), new S3ReportStore(s3, s.bucket()),
                new SnsAlertPublisher(sns, s.topic()), TOOL, alerts);
    }

    /**
     * What the function's environment says, checked once, so the deployed and the offline wiring read it alike.
     *
     * @param table the evaluator's table, when {@code TABLE_NAME} names one
     */
    public record Settings(String bucket, String topic, int unusedDays, int advisorLimit, boolean accessAdvisor,
                    Optional<String> table, GuardrailConfig config) {

        public Audit audit(AccessAdvisor advisor, ManagedPolicySnapshot snapshot) {
            return new Audit(config, advisor, snapshot, unusedDays, advisorLimit, Clock.systemUTC());
        }
    }

    public static Settings settings(Map<String, String> env) {
        String bucket = required(env, "REPORT_BUCKET", "the bucket reports are written to");
        String topic = required(env, "TOPIC_ARN", "the topic the summary is published to");
        int days = number(env, "UNUSED_DAYS", 90);
        int limit = number(env, "ADVISOR_LIMIT", Audit.DEFAULT_ADVISOR_LIMIT);
        String advisorFlag = env.getOrDefault("ACCESS_ADVISOR", "true").trim();
        if (!advisorFlag.equals("true") && !advisorFlag.equals("false")) {
            throw new IllegalStateException("expected ACCESS_ADVISOR to be true or false but found `" + advisorFlag + "`");
        }
        String table = env.get("TABLE_NAME");
        return new Settings(bucket, topic, days, limit, advisorFlag.equals("true"),
                table == null || table.isBlank() ? Optional.empty() : Optional.of(table.trim()),
                FunctionConfig.fromEnvironment(env));
    }

    private static String required(Map<String, String> env, String name, String meaning) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("expected the environment variable " + name + " (" + meaning + ") but it is not set");
        }
        return v.trim();
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("expected " + name + " to be a whole number of at least 1 but found `" + v + "`");
    }
}
