package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.aws.AwsIamPort;
import io.iamguardrail.aws.DynamoDbSnapshotStore;
import io.iamguardrail.aws.KmsSigner;
import io.iamguardrail.remediation.IamPort;
import io.iamguardrail.remediation.Signer;
import io.iamguardrail.remediation.SnapshotStore;
import io.iamguardrail.state.PrincipalRef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.iamguardrail.live.LiveEvaluatorTest.LAMBDA_TRUST;
import static io.iamguardrail.live.LiveEvaluatorTest.event;
import static io.iamguardrail.live.LiveEvaluatorTest.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshots tried the way someone who can write the guardrail's table would: rewritten, planted unsigned, signed
 * with a key of their own, copied to a role recreated under the same name. Against moto (KMS GenerateMac/VerifyMac
 * with an HMAC_256 key, DynamoDB, IAM), end to end with {@code replay} run by the real jar: a rejected snapshot is
 * never written back to IAM, the role is quarantined instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotIntegrityLiveTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    static final String BUCKET = "guardrail-snapshot-backups";
    static final String TABLE = "guardrail-snapshots";
    static final String ADMIN = SignedRemediationStack.ADMIN;
    static final String DENY_ALL = SignedRemediationStack.DENY_ALL;
    static final String ANY_AWS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String STAR = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Restored\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    IamClient iam;
    S3Client s3;
    DynamoDbClient dynamo;
    KmsClient kms;
    String macKey;
    /** A key of the attacker's own, in the same account: same kind, same API, not the guardrail's. */
    String attackerKey;
    String quarantineArn;
    @TempDir
    Path dir;

    @BeforeAll
    void setUp() {
        iam = MOTO.iam();
        s3 = MOTO.s3();
        dynamo = MOTO.dynamo();
        kms = MOTO.kms();
        SignedRemediationStack stack = SignedRemediationStack.create(MOTO, BUCKET, TABLE);
        macKey = stack.macKey();
        attackerKey = stack.attackerKey();
        quarantineArn = stack.quarantineArn();
    }

    // ---- the signer ----

    @Test
    void theKmsSignerVerifiesOnlyItsOwnMacOverExactlyTheseBytes() {
        KmsSigner guardrail = new KmsSigner(kms, macKey);
        KmsSigner attacker = new KmsSigner(kms, attackerKey);
        // Larger than the 4,096 bytes KMS takes as a message: an inline policy document can be.
        byte[] backup = ("{\"document\":" + quoted(ADMIN.repeat(60)) + "}").getBytes(StandardCharsets.UTF_8);
        assertThat(backup.length).isGreaterThan(4096);
        Signer.Mac mac = guardrail.sign(backup).orElseThrow();
        assertThat(mac.keyId()).isEqualTo(macKey);
        assertThat(guardrail.verify(backup, mac)).isTrue();
        byte[] changed = backup.clone();
        changed[changed.length - 3] ^= 1;
        assertThat(guardrail.verify(changed, mac)).as("one bit changed").isFalse();
        Signer.Mac foreign = attacker.sign(backup).orElseThrow();
        assertThat(guardrail.verify(backup, foreign)).as("a MAC from another key, naming it").isFalse();
        assertThat(attacker.verify(backup, mac)).isFalse();
        assertThat(guardrail.verify(backup, new Signer.Mac(macKey, "bm90IGEgTUFD"))).isFalse();
        assertThat(guardrail.verify(backup, new Signer.Mac(macKey, "not base64 at all!"))).isFalse();
    }

    // ---- snapshots in the table ----

    DynamoDbSnapshotStore store(String key) {
        return new DynamoDbSnapshotStore(dynamo, TABLE, new KmsSigner(kms, key), Clock.systemUTC());
    }

    IamPort.Principal role(String name, String trust) {
        iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(trust));
        return new AwsIamPort(iam).principal(new PrincipalRef(PrincipalRef.Kind.ROLE, name)).orElseThrow();
    }

    Map<String, AttributeValue> item(String pk) {
        return dynamo.getItem(b -> b.tableName(TABLE).consistentRead(true).key(Map.of("pk", AttributeValue.fromS(pk)))).item();
    }

    @Test
    void aTrustSnapshotRewrittenToAnyPrincipalInTheTableIsRejectedOnRead() {
        IamPort.Principal p = role("billing-job", LAMBDA_TRUST);
        assertThat(p.id()).startsWith("AROA");
        DynamoDbSnapshotStore store = store(macKey);
        store.recordTrustPolicy(p, LAMBDA_TRUST);
        assertThat(store.trustPolicy(p)).hasValue(LAMBDA_TRUST);
        String pk = "snapshot#trustPolicy#" + p.id();
        Map<String, AttributeValue> recorded = item(pk);
        assertThat(recorded.get("name").s()).isEqualTo(p.arn());
        assertThat(recorded.get("macKeyId").s()).isEqualTo(macKey);
        long expires = Long.parseLong(recorded.get("expiresAt").n());
        assertThat(Instant.ofEpochSecond(expires)).isBetween(Instant.now().plus(Duration.ofDays(90)).minusSeconds(120),
                Instant.now().plus(Duration.ofDays(90)).plusSeconds(5));

        dynamo.updateItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS(pk)))
                .updateExpression("SET #s = :v").expressionAttributeNames(Map.of("#s", "snapshot"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(STAR))));

        assertThat(store.trustPolicy(p)).isEmpty();
        SnapshotStore.Read read = store.read(SnapshotStore.Slot.trustPolicy(p));
        assertThat(read).isInstanceOf(SnapshotStore.Rejected.class);
        assertThat(((SnapshotStore.Rejected) read).reason()).isEqualTo("the MAC of the trustPolicy snapshot of " + p.arn()
                + " (" + p.id() + ") does not verify with KMS key " + macKey + ": it was changed after it was recorded,"
                + " or signed with another key");
    }

    @Test
    void aRoleRecreatedUnderTheSameNameDoesNotGetTheOldSnapshotEvenWhenItIsCopiedOver() {
        IamPort.Principal old = role("reports-export", LAMBDA_TRUST);
        DynamoDbSnapshotStore store = store(macKey);
        store.recordTrustPolicy(old, ANY_AWS);
        iam.deleteRole(b -> b.roleName("reports-export"));
        IamPort.Principal recreated = role("reports-export", LAMBDA_TRUST);
        assertThat(recreated.arn()).isEqualTo(old.arn());
        assertThat(recreated.id()).isNotEqualTo(old.id());
        assertThat(store.read(SnapshotStore.Slot.trustPolicy(recreated))).isEqualTo(new SnapshotStore.Absent());

        Map<String, AttributeValue> copy = new java.util.HashMap<>(item("snapshot#trustPolicy#" + old.id()));
        copy.put("pk", AttributeValue.fromS("snapshot#trustPolicy#" + recreated.id()));
        copy.put("uniqueId", AttributeValue.fromS(recreated.id()));
        dynamo.putItem(b -> b.tableName(TABLE).item(copy));
        assertThat(store.read(SnapshotStore.Slot.trustPolicy(recreated))).isInstanceOf(SnapshotStore.Rejected.class);
    }

    @Test
    void aSnapshotSignedWithAnotherKeyOrUnsignedIsRejected() {
        IamPort.Principal p = role("nightly-etl", LAMBDA_TRUST);
        store(attackerKey).recordBoundary(p, "arn:aws:iam::123456789012:policy/wide-open");
        assertThat(store(macKey).read(SnapshotStore.Slot.boundary(p))).isInstanceOf(SnapshotStore.Rejected.class);
        assertThat(store(macKey).boundary(p)).isEmpty();

        dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("snapshot#trustPolicy#" + p.id()),
                "snapshot", AttributeValue.fromS(STAR), "recordedAt", AttributeValue.fromS(Instant.now().toString()))));
        SnapshotStore.Read planted = store(macKey).read(SnapshotStore.Slot.trustPolicy(p));
        assertThat(planted).isEqualTo(new SnapshotStore.Rejected("the trustPolicy snapshot of " + p.arn() + " (" + p.id()
                + ") is unsigned: it was not written by the guardrail"));
    }

    @Test
    void aPolicyRecreatedUnderTheSameNameDoesNotGetTheOldCleanDefaultVersion() {
        String arn = iam.createPolicy(b -> b.policyName("app-deploy").policyDocument(DENY_ALL)).policy().arn();
        AwsIamPort port = new AwsIamPort(iam);
        String oldId = port.policyId(arn).orElseThrow();
        assertThat(oldId).isNotBlank(); // ANPA… in IAM; moto makes its own
        store(macKey).recordCleanDefaultVersion(arn, oldId, "v1");
        assertThat(store(macKey).cleanDefaultVersion(arn, oldId)).hasValue("v1");
        iam.deletePolicy(b -> b.policyArn(arn));
        assertThat(port.policyId(arn)).isEmpty();
        iam.createPolicy(b -> b.policyName("app-deploy").policyDocument(DENY_ALL));
        String newId = port.policyId(arn).orElseThrow();
        assertThat(newId).isNotEqualTo(oldId);
        assertThat(store(macKey).cleanDefaultVersion(arn, newId)).isEmpty();
    }

    // ---- the same, end to end: replay through the jar ----

    @Test
    void aTrustSnapshotRewrittenInTheTableIsNeverWrittenBackToIam() throws Exception {
        IamPort.Principal p = role("partner-sync", LAMBDA_TRUST);
        JarCli.Run clean = replay(file("clean.json", event("UpdateAssumeRolePolicy",
                "{\"roleName\":\"partner-sync\",\"policyDocument\":" + quoted(LAMBDA_TRUST) + "}")));
        assertThat(clean.event().get("verdict").asText()).as(clean.out() + clean.err()).isEqualTo("NO_ALERT");
        String pk = "snapshot#trustPolicy#" + p.id();
        assertThat(item(pk)).as("the clean trust policy was recorded").containsKey("mac");
        dynamo.updateItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS(pk)))
                .updateExpression("SET #s = :v").expressionAttributeNames(Map.of("#s", "snapshot"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(STAR))));
        iam.updateAssumeRolePolicy(b -> b.roleName("partner-sync").policyDocument(ANY_AWS));

        JarCli.Run run = replay(file("risky.json", event("UpdateAssumeRolePolicy",
                "{\"roleName\":\"partner-sync\",\"policyDocument\":" + quoted(ANY_AWS) + "}")));

        assertThat(normalised(trust("partner-sync"))).as(run.out() + run.err()).isEqualTo(normalised(ANY_AWS));
        assertThat(attached("partner-sync")).containsExactly(quarantineArn);
        assertThat(run.remediation().get("actions").toString()).contains("\"action\":\"QUARANTINE\"",
                "the recorded trust policy of role partner-sync was rejected");
    }

    @Test
    void aRoleRecreatedUnderTheSameNameIsQuarantinedNotGivenTheOldRolesTrust() throws Exception {
        role("vendor-bridge", LAMBDA_TRUST);
        JarCli.Run clean = replay(file("vendor-clean.json", event("UpdateAssumeRolePolicy",
                "{\"roleName\":\"vendor-bridge\",\"policyDocument\":" + quoted(LAMBDA_TRUST) + "}")));
        assertThat(clean.event().get("verdict").asText()).as(clean.out() + clean.err()).isEqualTo("NO_ALERT");
        iam.deleteRole(b -> b.roleName("vendor-bridge"));
        role("vendor-bridge", ANY_AWS);

        JarCli.Run run = replay(file("vendor-create.json", event("CreateRole",
                "{\"roleName\":\"vendor-bridge\",\"assumeRolePolicyDocument\":" + quoted(ANY_AWS) + "}")));

        assertThat(normalised(trust("vendor-bridge"))).as(run.out() + run.err()).isEqualTo(normalised(ANY_AWS));
        assertThat(attached("vendor-bridge")).containsExactly(quarantineArn);
    }

    // ---- helpers ----

    /** Remediation as the Lambda does it: signed backups, snapshots shared through the table. */
    JarCli.Run replay(Path event) throws Exception {
        return JarCli.run(MOTO, dir, Map.of("GUARDRAIL_TABLE_NAME", TABLE), "replay", "--live", "--mode", "remediate",
                "--format", "json", "--backup-bucket", BUCKET, "--quarantine-policy-arn", quarantineArn, "--mac-key-id", macKey,
                event.toString());
    }

    Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    String trust(String role) {
        return iam.getRole(b -> b.roleName(role)).role().assumeRolePolicyDocument();
    }

    List<String> attached(String role) {
        return iam.listAttachedRolePolicies(b -> b.roleName(role)).attachedPolicies().stream().map(AttachedPolicy::policyArn).toList();
    }

    static JsonNode normalised(String document) throws Exception {
        return JSON.readTree(URLDecoder.decode(document, StandardCharsets.UTF_8));
    }
}
