package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.aws.KmsSigner;
import io.iamguardrail.remediation.Signer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.iamguardrail.live.LiveEvaluatorTest.LAMBDA_TRUST;
import static io.iamguardrail.live.LiveEvaluatorTest.event;
import static io.iamguardrail.live.LiveEvaluatorTest.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backups tried the way someone who can write the backup bucket would: rewritten to act on another role, stripped of
 * their MAC, re-signed with a key of their own. {@code replay} and {@code restore} run by the real jar against moto
 * (KMS GenerateMac/VerifyMac, S3, IAM): {@code restore} refuses before it touches IAM, and writes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupIntegrityLiveTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    static final String BUCKET = "guardrail-signed-backups";
    static final String TABLE = "guardrail-backup-state";
    static final String ADMIN = SignedRemediationStack.ADMIN;
    private static final ObjectMapper JSON = new ObjectMapper();

    IamClient iam;
    S3Client s3;
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
        kms = MOTO.kms();
        SignedRemediationStack stack = SignedRemediationStack.create(MOTO, BUCKET, TABLE);
        macKey = stack.macKey();
        attackerKey = stack.attackerKey();
        quarantineArn = stack.quarantineArn();
    }

    // ---- restore of a backup rewritten in the bucket ----

    /** A role with a risky inline policy, remediated: its backup id (one DELETE_INLINE_POLICY entry, signed). */
    String remediatedInlinePolicy(String role) throws Exception {
        iam.createRole(b -> b.roleName(role).assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.putRolePolicy(b -> b.roleName(role).policyName("everything").policyDocument(ADMIN));
        JarCli.Run run = replay(file(role + ".json", event("PutRolePolicy", "{\"roleName\":\"" + role
                + "\",\"policyName\":\"everything\",\"policyDocument\":" + quoted(ADMIN) + "}")));
        assertThat(run.remediation().get("status").asText()).as(run.out() + run.err()).isEqualTo("DONE");
        assertThat(iam.listRolePolicies(b -> b.roleName(role)).policyNames()).isEmpty();
        String id = run.remediation().get("backupId").asText();
        // The alert's undo command pins the guardrail's key: pasted, it never trusts a key the backup names.
        assertThat(run.remediation().get("undo").get("command").asText()).isEqualTo("java -jar functions/target/"
                + "iam-guardrail.jar restore " + id + " --backup-bucket " + BUCKET + " --mac-key-id " + macKey);
        return id;
    }

    /** The backup's body with its one entry's principal changed to {@code to}; its `target` still names the original. */
    byte[] redirected(String backupId, String to) throws Exception {
        JsonNode backup = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key(backupId))).asByteArray());
        ((ObjectNode) backup.get("entries").get(0).get("values")).put("principalName", to);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(backup);
    }

    void rewrite(String backupId, byte[] body, Map<String, String> metadata) {
        s3.putObject(b -> b.bucket(BUCKET).key(key(backupId)).contentType("application/json").metadata(metadata),
                RequestBody.fromBytes(body));
    }

    Map<String, String> metadata(String backupId) {
        return s3.headObject(b -> b.bucket(BUCKET).key(key(backupId))).metadata();
    }

    @Test
    void aBackupRewrittenToPutAnAdminPolicyOnAnotherRoleIsRefusedAndNothingIsWritten() throws Exception {
        String id = remediatedInlinePolicy("reporting");
        iam.createRole(b -> b.roleName("ops-automation").assumeRolePolicyDocument(LAMBDA_TRUST));
        Map<String, String> signed = metadata(id);
        assertThat(signed).containsEntry("mac-key-id", macKey).containsKey("mac");
        rewrite(id, redirected(id, "ops-automation"), signed);

        JarCli.Run restore = restore(id);

        assertThat(restore.exit()).as(restore.out() + restore.err()).isEqualTo(1);
        assertThat(restore.out()).isEmpty();
        assertThat(restore.messages()).isEqualTo("iam-guardrail: the MAC of backup " + id + " does not verify with KMS key "
                + macKey + ": it was changed after the guardrail wrote it, or signed with another key\n"
                + "iam-guardrail: entry 1 (DELETE_INLINE_POLICY) of backup " + id + ": its target says `role reporting inline"
                + " policy everything` but its values act on `role ops-automation inline policy everything`\n"
                + "iam-guardrail: refused to restore " + id + ": the backup cannot be trusted (see above); nothing was changed.\n");
        assertThat(iam.listRolePolicies(b -> b.roleName("ops-automation")).policyNames()).isEmpty();
        assertThat(iam.listRolePolicies(b -> b.roleName("reporting")).policyNames()).isEmpty();
    }

    @Test
    void aRewrittenBackupStrippedOfItsMacIsRefusedAndAllowUnsignedStillChecksItsTargets() throws Exception {
        String id = remediatedInlinePolicy("audit-export");
        iam.createRole(b -> b.roleName("deploy-admin").assumeRolePolicyDocument(LAMBDA_TRUST));
        rewrite(id, redirected(id, "deploy-admin"), Map.of());

        JarCli.Run unsigned = restore(id);
        assertThat(unsigned.exit()).as(unsigned.out() + unsigned.err()).isEqualTo(1);
        assertThat(unsigned.messages()).startsWith("iam-guardrail: backup " + id + " is unsigned: it carries no MAC");

        JarCli.Run allowed = restore(id, "--allow-unsigned");
        assertThat(allowed.exit()).as(allowed.out() + allowed.err()).isEqualTo(1);
        assertThat(allowed.out()).isEmpty();
        assertThat(allowed.messages()).startsWith("iam-guardrail: entry 1 (DELETE_INLINE_POLICY) of backup " + id
                + ": its target says `role audit-export inline policy everything` but its values act on `role deploy-admin"
                + " inline policy everything`\n");
        assertThat(iam.listRolePolicies(b -> b.roleName("deploy-admin")).policyNames()).isEmpty();
    }

    @Test
    void aBackupReSignedWithTheAttackersOwnKeyIsRefusedWhenTheGuardrailKeyIsPinned() throws Exception {
        String id = remediatedInlinePolicy("metrics-push");
        iam.createRole(b -> b.roleName("break-in").assumeRolePolicyDocument(LAMBDA_TRUST));
        JsonNode backup = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key(id))).asByteArray());
        JsonNode entry = backup.get("entries").get(0);
        ((ObjectNode) entry.get("values")).put("principalName", "break-in");
        ((ObjectNode) entry).put("target", "role break-in inline policy everything");
        byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(backup);
        Signer.Mac forged = new KmsSigner(kms, attackerKey).sign(body).orElseThrow();
        rewrite(id, body, Map.of("mac", forged.value(), "mac-key-id", forged.keyId()));

        JarCli.Run restore = restore(id, "--mac-key-id", macKey);

        assertThat(restore.exit()).as(restore.out() + restore.err()).isEqualTo(1);
        assertThat(restore.messages()).isEqualTo("iam-guardrail: the MAC of backup " + id + " does not verify with KMS key "
                + macKey + ": it was changed after the guardrail wrote it, or signed with another key\n"
                + "iam-guardrail: refused to restore " + id + ": the backup cannot be trusted (see above); nothing was changed.\n");
        assertThat(iam.listRolePolicies(b -> b.roleName("break-in")).policyNames()).isEmpty();
    }

    @Test
    void anUntouchedSignedBackupRestoresAndSaysWhatItDidFromItsValues() throws Exception {
        String id = remediatedInlinePolicy("ledger-sync");
        JarCli.Run restore = restore(id, "--mac-key-id", macKey);
        assertThat(restore.exit()).as(restore.out() + restore.err()).isEqualTo(0);
        assertThat(restore.out()).isEqualTo("RESTORED DELETE_INLINE_POLICY role ledger-sync inline policy everything: put the"
                + " inline policy everything of role ledger-sync back\n");
        assertThat(iam.listRolePolicies(b -> b.roleName("ledger-sync")).policyNames()).containsExactly("everything");
    }

    @Test
    void aBackupWrittenWithoutAKeyIsRefusedUnlessAllowed() throws Exception {
        iam.createRole(b -> b.roleName("legacy-job").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.putRolePolicy(b -> b.roleName("legacy-job").policyName("everything").policyDocument(ADMIN));
        JarCli.Run run = JarCli.run(MOTO, dir, Map.of(), "replay", "--live", "--mode", "remediate", "--format", "json", "--backup-bucket", BUCKET,
                file("legacy.json", event("PutRolePolicy", "{\"roleName\":\"legacy-job\",\"policyName\":\"everything\","
                        + "\"policyDocument\":" + quoted(ADMIN) + "}")).toString());
        String id = run.remediation().get("backupId").asText();
        assertThat(metadata(id)).doesNotContainKey("mac");
        assertThat(restore(id).exit()).isEqualTo(1);
        assertThat(iam.listRolePolicies(b -> b.roleName("legacy-job")).policyNames()).isEmpty();
        JarCli.Run allowed = restore(id, "--allow-unsigned");
        assertThat(allowed.exit()).as(allowed.out() + allowed.err()).isEqualTo(0);
        assertThat(allowed.messages()).isEqualTo("iam-guardrail: backup " + id + " is unsigned and restored as --allow-unsigned asks\n");
        assertThat(iam.listRolePolicies(b -> b.roleName("legacy-job")).policyNames()).containsExactly("everything");
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

    JarCli.Run restore(String backupId, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("restore", "--backup-bucket", BUCKET));
        args.addAll(List.of(extra));
        args.add(backupId);
        return JarCli.run(MOTO, dir, Map.of(), args.toArray(String[]::new));
    }

    static String key(String backupId) {
        return "backups/" + backupId + ".json";
    }
}
