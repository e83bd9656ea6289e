package io.iamguardrail.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.aws.KmsSigner;
import io.iamguardrail.live.MotoServer;
import io.iamguardrail.remediation.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluator in REMEDIATE mode through the deployed artifact (the shrunk jar under the real runtime client),
 * against moto: every SDK path a remediation takes at run time (IAM reads and writes, the S3 backup, the DynamoDB
 * rate guard and snapshots, the SNS alert) must have survived shrinking. Events are the samples of events/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemediationInvokeTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path EVENTS = Path.of(System.getProperty("project.root", "..")).resolve("events");
    static final String BUCKET = "guardrail-backups";
    static final String ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";
    static final String LAMBDA_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    LocalLambda lambda;
    String macKey;
    IamClient iam;
    S3Client s3;

    @BeforeAll
    void start() throws Exception {
        iam = MOTO.iam();
        s3 = MOTO.s3();
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        MOTO.createStateTable("state");
        String quarantine = iam.createPolicy(b -> b.policyName("guardrail-quarantine").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}"))
                .policy().arn();
        String topic = MOTO.sns().createTopic(b -> b.name("alerts")).topicArn();

        Map<String, String> variables = LocalInvokeTest.evaluatorVariables(topic, MOTO.endpoint().toString());
        variables.put("MODE", "REMEDIATE");
        variables.put("BACKUP_BUCKET", BUCKET);
        variables.put("QUARANTINE_POLICY_ARN", quarantine);
        macKey = MOTO.createMacKey();
        variables.put("MAC_KEY_ID", macKey);
        lambda = LocalLambda.start(TemplateFunctions.function("EvaluatorFunction"), variables, false);
        lambda.awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() throws IOException {
        if (lambda != null) {
            lambda.close();
        }
    }

    @Test
    void anAdministratorPolicyIsDetachedAndAnInlineOneDeletedEachBackedUpToS3UnderTheRateGuard() throws Exception {
        iam.createRole(b -> b.roleName("ci-runner").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("ci-runner").policyArn(ADMIN_ARN));
        JsonNode attach = sample("attach-role-policy-admin.json");
        JsonNode put = sample("put-user-policy-admin.json");
        JsonNode putParameters = put.path("detail").path("requestParameters");
        iam.createUser(b -> b.userName(putParameters.path("userName").asText()));
        iam.putUserPolicy(b -> b.userName(putParameters.path("userName").asText())
                .policyName(putParameters.path("policyName").asText())
                .policyDocument(putParameters.path("policyDocument").asText()));

        JsonNode detached = answer(attach);
        JsonNode deleted = answer(put);

        assertThat(detached.path("verdict").asText()).as(detached.toString()).isEqualTo("ALERT");
        assertThat(detached.path("messageId").isTextual()).as("the alert was published").isTrue();
        assertThat(iam.listAttachedRolePolicies(b -> b.roleName("ci-runner")).attachedPolicies())
                .as(lambda.output()).extracting(AttachedPolicy::policyArn).doesNotContain(ADMIN_ARN);
        assertThat(deleted.path("verdict").asText()).as(deleted.toString()).isEqualTo("ALERT");
        assertThat(iam.listUserPolicies(b -> b.userName(putParameters.path("userName").asText())).policyNames())
                .as(lambda.output()).isEmpty();

        // The backups restore works from: one object per remediation, holding what was removed.
        JsonNode detachBackup = backup(attach);
        assertThat(detachBackup.path("entries").get(0).path("action").asText()).isEqualTo("DETACH_POLICY");
        assertThat(detachBackup.path("entries").get(0).path("values").path("policyArn").asText()).isEqualTo(ADMIN_ARN);
        JsonNode deleteBackup = backup(put);
        assertThat(deleteBackup.path("entries").get(0).path("action").asText()).isEqualTo("DELETE_INLINE_POLICY");
        assertThat(JSON.readTree(deleteBackup.path("entries").get(0).path("values").path("document").asText()))
                .isEqualTo(JSON.readTree(putParameters.path("policyDocument").asText()));

        // Each signed through the shrunk jar's KMS client, over exactly the bytes stored: restore verifies them.
        for (JsonNode event : List.of(attach, put)) {
            var object = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key(event)));
            Map<String, String> metadata = object.response().metadata();
            assertThat(metadata).containsEntry("mac-key-id", macKey);
            assertThat(new KmsSigner(MOTO.kms(), macKey).verify(object.asByteArray(),
                    new Signer.Mac(macKey, metadata.get("mac")))).isTrue();
        }

        // The rate guard counted both remediations in the state table (one counter per minute).
        long counted = MOTO.dynamo().scan(b -> b.tableName("state")).items().stream()
                .filter(i -> i.getOrDefault("pk", AttributeValue.fromS("")).s().startsWith("rate#"))
                .mapToLong(i -> Long.parseLong(i.get("remediations").n())).sum();
        assertThat(counted).isEqualTo(2);
    }

    JsonNode sample(String file) throws IOException {
        return JSON.readTree(EVENTS.resolve(file).toFile());
    }

    JsonNode answer(JsonNode event) throws Exception {
        RuntimeApiServer.Answer a = lambda.invoke(JSON.writeValueAsString(event));
        assertThat(a.error()).as("%s%n%s", a.body(), lambda.output()).isFalse();
        return JSON.readTree(a.body());
    }

    JsonNode backup(JsonNode event) throws IOException {
        return JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key(event))).asUtf8String());
    }

    static String key(JsonNode event) {
        return "backups/" + event.path("detail").path("eventID").asText() + "/1.json";
    }
}
