package io.iamguardrail.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.aws.KmsSigner;
import io.iamguardrail.live.CloudTrailStandIn;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluator in REMEDIATE mode through the deployed artifact (the shrunk jar under the real runtime client),
 * against moto: every SDK path a remediation takes at run time (IAM reads and writes, the S3 backup, the DynamoDB
 * rate guard and snapshots, the SNS alert, CloudTrail's LookupEvents) must have survived shrinking. Events are the
 * samples of events/, delivered fresh; CloudTrail's history is a loopback stand-in (moto has no LookupEvents).
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
    CloudTrailStandIn cloudTrail;
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
        cloudTrail = new CloudTrailStandIn();
        variables.put("AWS_ENDPOINT_URL_CLOUDTRAIL", cloudTrail.endpoint().toString());
        variables.put("CONFIRM_EVENTS", "true");
        variables.put("MAX_EVENT_AGE_HOURS", "24");
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
        if (cloudTrail != null) {
            cloudTrail.close();
        }
    }

    @Test
    void anAdministratorPolicyIsDetachedAndAnInlineOneDeletedEachBackedUpToS3UnderTheRateGuard() throws Exception {
        iam.createRole(b -> b.roleName("ci-runner").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("ci-runner").policyArn(ADMIN_ARN));
        JsonNode attach = recorded(fresh(sample("attach-role-policy-admin.json")));
        JsonNode put = recorded(fresh(sample("put-user-policy-admin.json")));
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

    /** The sample as EventBridge delivers it right after the call: with a new id and the time of now. */
    static JsonNode fresh(JsonNode event) {
        ObjectNode copy = event.deepCopy();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        copy.put("time", now);
        copy.put("id", UUID.randomUUID().toString());
        ((ObjectNode) copy.path("detail")).put("eventTime", now).put("eventID", UUID.randomUUID().toString());
        return copy;
    }

    /** CloudTrail's history holds the event as delivered. */
    JsonNode recorded(JsonNode event) {
        cloudTrail.holds(event.path("detail"));
        return event;
    }

    RuntimeApiServer.Answer deliver(JsonNode event) throws Exception {
        return lambda.invoke(JSON.writeValueAsString(event));
    }

    List<String> attached(String role) {
        return iam.listAttachedRolePolicies(b -> b.roleName(role)).attachedPolicies().stream().map(AttachedPolicy::policyArn)
                .toList();
    }

    @Test
    void anEventWhoseRequestDiffersFromCloudTrailsRecordAlertsButChangesNothing() throws Exception {
        // The attacker invokes the function with a copy of a real event whose role name is swapped for a victim's.
        iam.createRole(b -> b.roleName("victim").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("victim").policyArn(ADMIN_ARN));
        JsonNode real = fresh(sample("attach-role-policy-admin.json"));
        recorded(real);
        ObjectNode forged = real.deepCopy();
        ((ObjectNode) forged.path("detail").path("requestParameters")).put("roleName", "victim");
        JsonNode answer = JSON.readTree(deliver(forged).body());
        assertThat(answer.path("verdict").asText()).isEqualTo("ALERT");
        assertThat(attached("victim")).as(lambda.output()).contains(ADMIN_ARN);
        assertThat(lambda.output()).contains("not the event CloudTrail recorded");
    }

    @Test
    void anOldEventAlertsButIsNeverActedOn() throws Exception {
        iam.createRole(b -> b.roleName("old-change").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("old-change").policyArn(ADMIN_ARN));
        ObjectNode old = fresh(sample("attach-role-policy-admin.json")).deepCopy();
        String then = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS).toString();
        old.put("time", then);
        ObjectNode detail = (ObjectNode) old.path("detail");
        detail.put("eventTime", then);
        ((ObjectNode) detail.path("requestParameters")).put("roleName", "old-change");
        recorded(old);
        JsonNode answer = JSON.readTree(deliver(old).body());
        assertThat(answer.path("verdict").asText()).isEqualTo("ALERT");
        assertThat(attached("old-change")).as(lambda.output()).contains(ADMIN_ARN);
        assertThat(cloudTrail.lookups).as("an old event is refused before CloudTrail is asked")
                .doesNotContain(detail.path("eventID").asText());
    }

    @Test
    void anEventCloudTrailHasNotRecordedYetIsAlertedNowAndRemediatedOnTheRetryOnceItHas() throws Exception {
        iam.createRole(b -> b.roleName("early").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("early").policyArn(ADMIN_ARN));
        ObjectNode event = fresh(sample("attach-role-policy-admin.json")).deepCopy();
        ((ObjectNode) event.path("detail").path("requestParameters")).put("roleName", "early");
        RuntimeApiServer.Answer first = deliver(event);
        assertThat(first.error()).as("the delivery fails so that Lambda retries it").isTrue();
        assertThat(first.body()).contains("remediation deferred");
        assertThat(attached("early")).contains(ADMIN_ARN);
        recorded(event);
        RuntimeApiServer.Answer retry = deliver(event);
        assertThat(retry.error()).as("%s%n%s", retry.body(), lambda.output()).isFalse();
        assertThat(attached("early")).doesNotContain(ADMIN_ARN);
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
