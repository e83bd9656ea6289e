package io.iamguardrail.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.live.MotoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduled sweep as Lambda runs it (handler from template.yaml, the runtime interface client in a child JVM)
 * against moto: an account with one risky role yields a report in the bucket and a finding about that role.
 */
class AuditFunctionInvokeTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theScheduledSweepWritesTheReportToTheBucket() throws Exception {
        S3Client s3 = S3Client.builder().endpointOverride(MOTO.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
        s3.createBucket(b -> b.bucket("guardrail-backups"));
        String topic = MOTO.sns().createTopic(b -> b.name("alerts")).topicArn();
        MOTO.createStateTable("state");
        MOTO.iam().createRole(b -> b.roleName("vendor-admin").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                        + "\"arn:aws:iam::999988887777:root\"},\"Action\":\"sts:AssumeRole\"}]}"));
        MOTO.iam().attachRolePolicy(b -> b.roleName("vendor-admin").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));

        Map<String, String> v = variables(MOTO.endpoint(), "guardrail-backups", topic, "state", "account");
        try (LocalLambda lambda = LocalLambda.start(TemplateFunctions.function("AuditFunction"), v, false)) {
            lambda.awaitReady(Duration.ofSeconds(60));
            // EventBridge Scheduler invokes its target with the schedule's input, an empty object by default.
            RuntimeApiServer.Answer answer = lambda.invoke("{}");

            assertThat(answer.error()).as(answer.body() + "\n" + lambda.output()).isFalse();
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.path("findings").asInt()).isPositive();
            List<String> keys = s3.listObjectsV2(b -> b.bucket("guardrail-backups").prefix("audit/")).contents()
                    .stream().map(S3Object::key).toList();
            assertThat(keys).anyMatch(k -> k.endsWith("report.json")).anyMatch(k -> k.endsWith("report.html"));
            String report = s3.getObjectAsBytes(b -> b.bucket("guardrail-backups")
                    .key(keys.stream().filter(k -> k.endsWith("report.json")).findFirst().orElseThrow())).asUtf8String();
            assertThat(report).contains("vendor-admin").contains("ADMIN_ACCESS");
        }
    }

    /** The audit function's environment as the template sets it, against the moto server at {@code endpoint}. */
    static Map<String, String> variables(URI endpoint, String bucket, String topic, String table, String mode) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("REPORT_BUCKET", bucket);
        v.put("TOPIC_ARN", topic);
        v.put("UNUSED_DAYS", "90");
        v.put("ACCESS_ADVISOR", "false"); // moto has no Access Advisor API
        v.put("ADVISOR_LIMIT", "1000");
        v.put("TRUSTED_ACCOUNT_IDS", "");
        v.put("EXEMPT_PRINCIPAL_ARNS", "");
        v.put("TABLE_NAME", table);
        v.put("OFFLINE", "false");
        v.put("DEPLOYMENT_MODE", mode);
        v.put("MEMBER_ROLE_NAME", "iam-guardrail-member");
        v.put("MEMBER_EXTERNAL_ID", "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111");
        v.put("AWS_ENDPOINT_URL", endpoint.toString());
        v.put("AWS_ACCESS_KEY_ID", "testing");
        v.put("AWS_SECRET_ACCESS_KEY", "testing");
        return v;
    }
}
