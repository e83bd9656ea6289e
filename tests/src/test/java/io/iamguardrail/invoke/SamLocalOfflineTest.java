package io.iamguardrail.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `sam local invoke EvaluatorFunction|AuditFunction -e events/... --env-vars events/env.json` without an AWS account:
 * the shipped jar under the real runtime client, with the environment SAM CLI gives it (the template's variables overridden by
 * events/env.json, and AWS_SAM_LOCAL=true), and no AWS reachable. And the same switch in a deployed function, where
 * Lambda never sets AWS_SAM_LOCAL: it must stay live.
 */
class SamLocalOfflineTest {

    static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What SAM CLI sets: the template's values (parameters at their defaults), then the env-vars file's. */
    static Map<String, String> samLocalVariables() throws Exception {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("MODE", "ALERT");
        v.put("ALERT_THRESHOLD", "MEDIUM");
        v.put("TRUSTED_ACCOUNT_IDS", "");
        v.put("EXEMPT_PRINCIPAL_ARNS", "");
        v.put("MAX_REMEDIATIONS_PER_MINUTE", "10");
        v.put("MAX_EVENT_AGE_HOURS", "24");
        v.put("CONFIRM_EVENTS", "true");
        v.put("IAM_READS_PER_SECOND", "10");
        v.put("OPERATIONS_TOPIC_ARN", "OperationsTopic");
        JSON.readTree(ROOT.resolve("events/env.json").toFile()).path("EvaluatorFunction").fields()
                .forEachRemaining(e -> v.put(e.getKey(), e.getValue().asText()));
        // Nothing answers here: any AWS call fails at once instead of reaching a real account.
        v.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        v.put("AWS_ACCESS_KEY_ID", "testing");
        v.put("AWS_SECRET_ACCESS_KEY", "testing");
        return v;
    }

    /** The same for the audit function: every variable the template declares for it, then events/env.json's. */
    static Map<String, String> samLocalAuditVariables() throws Exception {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("REPORT_BUCKET", "BackupBucket");
        v.put("TOPIC_ARN", "AlertTopic");
        v.put("UNUSED_DAYS", "90");
        v.put("ACCESS_ADVISOR", "true");
        v.put("ADVISOR_LIMIT", "1000");
        v.put("TRUSTED_ACCOUNT_IDS", "");
        v.put("EXEMPT_PRINCIPAL_ARNS", "");
        v.put("TABLE_NAME", "StateTable");
        v.put("OFFLINE", "false");
        v.put("DEPLOYMENT_MODE", "account");
        v.put("MEMBER_ROLE_NAME", "iam-guardrail-member");
        v.put("MEMBER_EXTERNAL_ID", "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111");
        JSON.readTree(ROOT.resolve("events/env.json").toFile()).path("AuditFunction").fields()
                .forEachRemaining(e -> v.put(e.getKey(), e.getValue().asText()));
        v.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        v.put("AWS_ACCESS_KEY_ID", "testing");
        v.put("AWS_SECRET_ACCESS_KEY", "testing");
        return v;
    }

    @Test
    void underSamCliTheEnvVarsFileRunsTheAuditOnTheBundledExampleAccountAndStoresAndPublishesNothing() throws Exception {
        Map<String, String> v = samLocalAuditVariables();
        v.put("AWS_SAM_LOCAL", "true");
        try (LocalLambda lambda = LocalLambda.start(TemplateFunctions.function("AuditFunction"), v, false)) {
            lambda.awaitReady(Duration.ofSeconds(60));
            RuntimeApiServer.Answer answer = lambda.invoke(Files.readString(ROOT.resolve("events/scheduled-audit.json")));

            assertThat(answer.error()).as("%s%n%s", answer.body(), lambda.output()).isFalse();
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.path("report").asText()).startsWith("s3://iam-guardrail-backupbucket-example/audit/");
            assertThat(body.path("findings").asInt()).isPositive();
            assertThat(body.path("messageId").asText()).startsWith("offline-");
            assertThat(lambda.output()).contains("\"offline\":\"not written\"", "\"offline\":\"not published\"",
                    "arn:aws:iam::123456789012:role/ops-automation");
        }
    }

    @Test
    void aDeployedAuditWithOfflineFlippedStillSweepsTheRealAccount() throws Exception {
        // The attack: set OFFLINE=true on the deployed audit so it reports a clean example instead of the account.
        Map<String, String> v = samLocalAuditVariables();
        try (LocalLambda lambda = LocalLambda.start(TemplateFunctions.function("AuditFunction"), v, false)) {
            lambda.awaitReady(Duration.ofSeconds(60));
            RuntimeApiServer.Answer answer = lambda.invoke(Files.readString(ROOT.resolve("events/scheduled-audit.json")));

            assertThat(answer.error()).as("%s%n%s", answer.body(), lambda.output()).isTrue();
            assertThat(lambda.output()).doesNotContain("not written", "not published", "bundled example");
        }
    }

    @Test
    void underSamCliTheEnvVarsFileRunsTheEvaluatorOfflineAndLogsTheMessageItWouldPublish() throws Exception {
        Map<String, String> v = samLocalVariables();
        v.put("AWS_SAM_LOCAL", "true");
        try (LocalLambda lambda = LocalLambda.start(TemplateFunctions.function("EvaluatorFunction"), v, false)) {
            lambda.awaitReady(Duration.ofSeconds(60));
            RuntimeApiServer.Answer answer = lambda.invoke(Files.readString(ROOT.resolve("events/attach-role-policy-admin.json")));

            assertThat(answer.error()).as("%s%n%s", answer.body(), lambda.output()).isFalse();
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.path("verdict").asText()).isEqualTo("ALERT");
            assertThat(body.path("messageId").asText()).startsWith("offline-");
            assertThat(lambda.output()).contains("\"offline\":\"not published\"",
                    "\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:iam-guardrail-AlertTopic-EXAMPLE\"");
        }
    }

    @Test
    void aDeployedFunctionWithOfflineFlippedStillReadsIamAndNeverPretendsToPublish() throws Exception {
        // The attack: set OFFLINE=true on the deployed function to blind it. Lambda never sets AWS_SAM_LOCAL.
        Map<String, String> v = samLocalVariables();
        try (LocalLambda lambda = LocalLambda.start(TemplateFunctions.function("EvaluatorFunction"), v, false)) {
            lambda.awaitReady(Duration.ofSeconds(60));
            RuntimeApiServer.Answer answer = lambda.invoke(Files.readString(ROOT.resolve("events/attach-role-policy-admin.json")));

            // It went to IAM (unreachable here) and failed the invocation, so Lambda's retries and the failure queue
            // keep the event; nothing was reported as published.
            assertThat(answer.error()).as("%s%n%s", answer.body(), lambda.output()).isTrue();
            assertThat(lambda.output()).doesNotContain("not published");
        }
    }
}
