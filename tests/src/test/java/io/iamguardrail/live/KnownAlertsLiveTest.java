package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.audit.ScheduledAudit;
import io.iamguardrail.handlers.AuditHandler;
import io.iamguardrail.handlers.EvaluatorHandler;
import io.iamguardrail.wiring.AuditEnvironment;
import io.iamguardrail.wiring.AwsClients;
import io.iamguardrail.wiring.EvaluatorEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluator and the weekly audit sharing one DynamoDB table in moto: a risky role alerted in real time during the
 * week is known in the next report (from the audit function and from {@code audit --live --table}), a risky role
 * nobody alerted on is new.
 */
class KnownAlertsLiveTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    static final String LAMBDA_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String VENDOR_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    static final String EVENT_ID = "3c5e1f0a-7b2d-4e8f-9a61-0d4c2b7e5f10";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRoleAlertedInRealTimeIsKnownAndAnUnalertedOneIsNew() throws Exception {
        IamClient iam = MOTO.iam();
        SnsClient sns = MOTO.sns();
        DynamoDbClient dynamo = MOTO.dynamo();
        S3Client s3 = S3Client.builder().endpointOverride(MOTO.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        s3.createBucket(b -> b.bucket("guardrail-backups"));
        String topic = sns.createTopic(b -> b.name("iam-guardrail-alerts")).topicArn();
        MOTO.createStateTable("guardrail");

        // Tuesday: someone gives a deployment role (with a path) administrator access; the evaluator alerts.
        iam.createRole(b -> b.roleName("deploy-admin").path("/ci/").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("deploy-admin").policyArn(ADMIN));
        EvaluatorHandler evaluator = new EvaluatorHandler(EvaluatorEnvironment.service(Map.of("TOPIC_ARN", topic,
                "TABLE_NAME", "guardrail"), AwsClients.of(iam, sns, dynamo)));
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        evaluator.handleRequest(new ByteArrayInputStream(attachRolePolicy("deploy-admin").getBytes(StandardCharsets.UTF_8)), answer, null);
        assertThat(answer.toString(StandardCharsets.UTF_8)).contains("\"verdict\":\"ALERT\"");
        Map<String, AttributeValue> mark = dynamo.getItem(b -> b.tableName("guardrail").key(Map.of("pk",
                AttributeValue.fromS("alerted#arn:aws:iam::123456789012:role/deploy-admin|ADMIN_ACCESS")))).item();
        assertThat(mark.get("eventId").s()).isEqualTo(EVENT_ID);
        assertThat(Long.parseLong(mark.get("expiresAt").n())).isGreaterThan(Long.parseLong("1700000000"));

        // A vendor role with administrator access that no event ever went through (created before the guardrail).
        iam.createRole(b -> b.roleName("vendor-admin").assumeRolePolicyDocument(VENDOR_TRUST));
        iam.attachRolePolicy(b -> b.roleName("vendor-admin").policyArn(ADMIN));

        // Sunday: the first weekly audit, with the same table.
        ScheduledAudit audit = AuditEnvironment.audit(Map.of("REPORT_BUCKET", "guardrail-backups", "TOPIC_ARN", topic,
                "ACCESS_ADVISOR", "false", "TABLE_NAME", "guardrail"), iam, s3, sns, dynamo);
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        new AuditHandler(audit).handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), result, null);
        JsonNode summary = JSON.readTree(result.toString(StandardCharsets.UTF_8));
        String key = summary.path("report").asText().substring("s3://guardrail-backups/".length()) + "report.json";
        JsonNode report = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket("guardrail-backups").key(key)).asString(StandardCharsets.UTF_8));

        JsonNode alerted = finding(report, "arn:aws:iam::123456789012:role/ci/deploy-admin", "ADMIN_ACCESS");
        assertThat(alerted.path("status").asText()).isEqualTo("known");
        assertThat(alerted.path("alertedInRealTime").path("eventId").asText()).isEqualTo(EVENT_ID);
        JsonNode vendor = finding(report, "arn:aws:iam::123456789012:role/vendor-admin", "ADMIN_ACCESS");
        assertThat(vendor.path("status").asText()).isEqualTo("new");
        assertThat(vendor.has("alertedInRealTime")).isFalse();
        int known = 0;
        for (JsonNode f : report.path("findings")) {
            known += f.path("status").asText().equals("known") ? 1 : 0;
        }
        assertThat(summary.path("new").asInt()).isEqualTo(summary.path("findings").asInt() - known);

        // The packaged CLI reads the same marks with --table.
        JsonNode cli = JSON.readTree(cli("audit", "--live", "--table", "guardrail", "--format", "json"));
        assertThat(finding(cli, "arn:aws:iam::123456789012:role/ci/deploy-admin", "ADMIN_ACCESS").path("status").asText())
                .isEqualTo("known");
        assertThat(finding(cli, "arn:aws:iam::123456789012:role/vendor-admin", "ADMIN_ACCESS").path("status").asText())
                .isEqualTo("new");
    }

    private static String cli(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("guardrail.jar", "../functions/target/iam-guardrail.jar")).toAbsolutePath().normalize();
        Path out = Files.createTempFile("audit", ".json");
        Path err = Files.createTempFile("audit", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(Map.of("AWS_ENDPOINT_URL", MOTO.endpoint().toString(), "AWS_ACCESS_KEY_ID", "testing",
                    "AWS_SECRET_ACCESS_KEY", "testing", "AWS_REGION", "us-east-1"));
            Process p = pb.start();
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
            assertThat(p.exitValue()).as("exit code; stderr: %s", Files.readString(err)).isEqualTo(1);
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static JsonNode finding(JsonNode report, String principal, String ruleId) {
        List<String> seen = new ArrayList<>();
        for (JsonNode f : report.path("findings")) {
            seen.add(f.path("principal").asText() + " " + f.path("ruleId").asText());
            if (f.path("principal").asText().equals(principal) && f.path("ruleId").asText().equals(ruleId)) {
                return f;
            }
        }
        throw new AssertionError("expected " + ruleId + " on " + principal + " but the report has " + seen);
    }

    private static String attachRolePolicy(String role) {
        return """
                {"version":"0","id":"8d1f0b6e-2c4a-4f3e-b5d7-6a9c0e1f2b3d","detail-type":"AWS API Call via CloudTrail","source":"aws.iam",
                 "account":"123456789012","time":"2026-11-24T09:30:00Z","region":"us-east-1","resources":[],
                 "detail":{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE",
                   "arn":"arn:aws:iam::123456789012:user/alice","accountId":"123456789012","userName":"alice"},
                   "eventTime":"2026-11-24T09:30:00Z","eventSource":"iam.amazonaws.com","eventName":"AttachRolePolicy",
                   "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0",
                   "requestParameters":{"roleName":"%s","policyArn":"%s"},"responseElements":null,
                   "requestID":"5e0c9a7b-1d2f-4a3b-8c6d-7e8f9a0b1c2d","eventID":"%s",
                   "readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123456789012"}}
                """.formatted(role, ADMIN, EVENT_ID);
    }
}
