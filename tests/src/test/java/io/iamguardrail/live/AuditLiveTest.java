package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.audit.ScheduledAudit;
import io.iamguardrail.handlers.AuditHandler;
import io.iamguardrail.wiring.AuditEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

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
 * The scheduled audit against moto: a mixed account (clean and risky principals) created with the SDK, the audit
 * Lambda's use case storing its reports in S3 and publishing its summary to SNS (read back from SQS), a second
 * run after a fix, and the packaged CLI's {@code audit --live} against the same emulator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditLiveTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    static final String ACCOUNT = "arn:aws:iam::123456789012:";
    static final String LAMBDA_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String VENDOR_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String GITHUB_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"token.actions.githubusercontent.com:aud\":\"sts.amazonaws.com\"}}}]}";
    static final String ORDERS_TABLE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\",\"dynamodb:PutItem\"],\"Resource\":\"arn:aws:dynamodb:us-east-1:123456789012:table/orders\"}]}";
    static final String ANY_USERS_KEYS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:CreateAccessKey\",\"Resource\":\"*\"}]}";
    static final String PASS_ANY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:PassRole\",\"lambda:CreateFunction\"],\"Resource\":\"*\"}]}";
    static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final ObjectMapper JSON = new ObjectMapper();

    IamClient iam;
    S3Client s3;
    SqsClient sqs;
    String queueUrl;
    ScheduledAudit audit;

    @BeforeAll
    void setUp() {
        iam = MOTO.iam();
        SnsClient sns = MOTO.sns();
        sqs = MOTO.sqs();
        s3 = S3Client.builder().endpointOverride(MOTO.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        s3.createBucket(b -> b.bucket("guardrail-backups"));
        String topic = sns.createTopic(b -> b.name("iam-guardrail-alerts")).topicArn();
        queueUrl = MOTO.subscribeQueue(topic, "audit-alerts", java.util.Map.of());

        iam.createRole(b -> b.roleName("orders-api-handler").path("/service-role/").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.putRolePolicy(b -> b.roleName("orders-api-handler").policyName("orders-table").policyDocument(ORDERS_TABLE));
        iam.createRole(b -> b.roleName("vendor-admin").assumeRolePolicyDocument(VENDOR_TRUST));
        iam.attachRolePolicy(b -> b.roleName("vendor-admin").policyArn(ADMIN));
        iam.createRole(b -> b.roleName("github-deploy").assumeRolePolicyDocument(GITHUB_TRUST)
                .tags(Tag.builder().key("owner").value("platform@example.com").build()));
        iam.createUser(b -> b.userName("ci-bot"));
        iam.putUserPolicy(b -> b.userName("ci-bot").policyName("rotate-keys").policyDocument(ANY_USERS_KEYS));
        iam.createGroup(b -> b.groupName("developers"));
        String devPolicy = iam.createPolicy(b -> b.policyName("developer-access").policyDocument(PASS_ANY)).policy().arn();
        iam.attachGroupPolicy(b -> b.groupName("developers").policyArn(devPolicy));
        iam.addUserToGroup(b -> b.groupName("developers").userName("ci-bot"));

        audit = AuditEnvironment.audit(Map.of("REPORT_BUCKET", "guardrail-backups", "TOPIC_ARN", topic, "UNUSED_DAYS", "90"),
                iam, s3, sns);
    }

    @Test
    @Order(1)
    void theScheduledRunStoresJsonAndHtmlAndPublishesOneSummary() throws Exception {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        String scheduledEvent = "{\"version\":\"0\",\"id\":\"5b2e8f5a-0000-4c5e-9a53-2f0d7c1e1111\",\"detail-type\":\"Scheduled Event\","
                + "\"source\":\"aws.scheduler\",\"account\":\"123456789012\",\"time\":\"2026-11-29T04:00:00Z\",\"region\":\"us-east-1\","
                + "\"resources\":[\"arn:aws:scheduler:us-east-1:123456789012:schedule/default/iam-guardrail-audit\"],\"detail\":\"{}\"}";
        new AuditHandler(audit).handleRequest(new ByteArrayInputStream(scheduledEvent.getBytes(StandardCharsets.UTF_8)), answer, null);
        JsonNode result = JSON.readTree(answer.toString(StandardCharsets.UTF_8));
        assertThat(result.path("report").asText()).startsWith("s3://guardrail-backups/audit/");

        List<String> keys = keys();
        assertThat(keys).hasSize(2).anyMatch(k -> k.endsWith("/report.json")).anyMatch(k -> k.endsWith("/report.html"));
        JsonNode report = JSON.readTree(object(keys.stream().filter(k -> k.endsWith(".json")).findFirst().orElseThrow()));
        assertThat(rules(report, ACCOUNT + "role/vendor-admin")).contains("ADMIN_ACCESS", "TRUST_EXTERNAL_ACCOUNT", "PRIVILEGED_ROLE_EXPOSED");
        assertThat(rules(report, ACCOUNT + "role/github-deploy")).contains("TRUST_OIDC_UNSCOPED");
        assertThat(rules(report, ACCOUNT + "user/ci-bot")).contains("CREDENTIALS_EXPOSURE", "PASSROLE_UNRESTRICTED");
        assertThat(rules(report, ACCOUNT + "group/developers")).contains("PASSROLE_UNRESTRICTED");
        assertThat(rules(report, ACCOUNT + "role/service-role/orders-api-handler")).doesNotContain("ADMIN_ACCESS",
                "TRUST_ANY_PRINCIPAL", "DATA_EXFILTRATION");
        assertThat(report.path("findings")).allMatch(f -> f.path("status").asText().equals("new"));
        // moto 5.2.1 has no Access Advisor: the report says so rather than failing.
        assertThat(report.path("notes").toString()).contains("Access Advisor could not answer");
        assertThat(object(keys.stream().filter(k -> k.endsWith(".html")).findFirst().orElseThrow()))
                .startsWith("<!DOCTYPE html>").contains("id=\"severity-counts\"");

        List<JsonNode> messages = drain();
        assertThat(messages).hasSize(1);
        JsonNode envelope = messages.get(0);
        assertThat(envelope.path("Subject").asText()).startsWith("IAM Guardrail audit of 123456789012: ");
        assertThat(envelope.path("MessageAttributes").path("eventName").path("Value").asText()).isEqualTo("ScheduledAudit");
        JsonNode summary = JSON.readTree(envelope.path("Message").asText());
        assertThat(summary.path("schema").asText()).isEqualTo("iam-guardrail/audit-summary/1");
        assertThat(summary.path("bySeverity").path("CRITICAL").asInt()).isPositive();
        assertThat(summary.path("worst").size()).isBetween(4, 10);
    }

    @Test
    @Order(2)
    void aFixShowsAsResolvedInTheNextReport() throws Exception {
        iam.detachRolePolicy(b -> b.roleName("vendor-admin").policyArn(ADMIN));
        iam.deleteRole(b -> b.roleName("vendor-admin"));

        ScheduledAudit.Outcome second = audit.run();

        assertThat(second.report().newCount()).isZero();
        assertThat(second.report().resolved()).extracting(r -> r.ruleId()).contains("ADMIN_ACCESS", "TRUST_EXTERNAL_ACCOUNT");
        assertThat(second.report().resolved()).allMatch(r -> r.principal().endsWith("role/vendor-admin"));
        assertThat(keys()).hasSize(4);
        List<JsonNode> messages = drain();
        assertThat(messages).hasSize(1);
        JsonNode summary = JSON.readTree(messages.get(0).path("Message").asText());
        assertThat(summary.path("changes").path("resolved").asInt()).isEqualTo(second.report().resolved().size());
    }

    @Test
    @Order(3)
    void theCliAuditsTheLiveAccount() throws Exception {
        Path jar = Path.of(System.getProperty("guardrail.jar", "../functions/target/iam-guardrail.jar")).toAbsolutePath().normalize();
        Path out = Files.createTempFile("audit", ".json");
        Path err = Files.createTempFile("audit", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    jar.toString(), "audit", "--live", "--format", "json").redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(Map.of("AWS_ENDPOINT_URL", MOTO.endpoint().toString(), "AWS_ACCESS_KEY_ID", "testing",
                    "AWS_SECRET_ACCESS_KEY", "testing", "AWS_REGION", "us-east-1"));
            Process p = pb.start();
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
            String stderr = Files.readString(err);
            assertThat(p.exitValue()).as("exit code; stderr: %s", stderr).isEqualTo(1);
            JsonNode report = JSON.readTree(Files.readString(out));
            assertThat(report.path("schema").asText()).isEqualTo("iam-guardrail/audit/1");
            assertThat(report.path("account").asText()).isEqualTo("123456789012");
            assertThat(rules(report, ACCOUNT + "role/github-deploy")).contains("TRUST_OIDC_UNSCOPED");
            assertThat(rules(report, ACCOUNT + "user/ci-bot")).contains("CREDENTIALS_EXPOSURE");
            assertThat(rules(report, ACCOUNT + "role/vendor-admin")).isEmpty();
            // Who to ask: the role's tags from GetAccountAuthorizationDetails, and its IAM console page.
            JsonNode deploy = null;
            for (JsonNode row : report.path("principals")) {
                if (row.path("arn").asText().equals(ACCOUNT + "role/github-deploy")) {
                    deploy = row;
                }
            }
            assertThat(deploy).isNotNull();
            assertThat(deploy.path("tags").path("owner").asText()).isEqualTo("platform@example.com");
            assertThat(deploy.path("consoleUrl").asText()).isEqualTo("https://console.aws.amazon.com/iam/home#/roles/details/github-deploy");
            assertThat(report.path("rootCauses")).isNotEmpty();
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> rules(JsonNode report, String principal) {
        List<String> out = new ArrayList<>();
        report.path("findings").forEach(f -> {
            if (f.path("principal").asText().equals(principal)) {
                out.add(f.path("ruleId").asText());
            }
        });
        return out;
    }

    private List<String> keys() {
        return s3.listObjectsV2Paginator(b -> b.bucket("guardrail-backups").prefix("audit/")).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    private String object(String key) {
        return s3.getObjectAsBytes(b -> b.bucket("guardrail-backups").key(key)).asString(StandardCharsets.UTF_8);
    }

    private List<JsonNode> drain() throws Exception {
        return MOTO.drain(queueUrl);
    }
}
