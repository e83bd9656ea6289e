package io.iamguardrail.remediation;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What restore checks before it reads or writes IAM: the MAC over the stored bytes, the id, targets against values. */
class BackupIntegrityTest {

    static final String ID = "3f1e0c52-7d7b-4f0e-9a43-1d0f5a0b6c11/1";
    static final String SCOPED = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::reports/*\"}]}";

    final HmacSigner guardrail = new HmacSigner("arn:aws:kms:us-east-1:123456789012:key/guardrail", "guardrail secret");

    static Backup.Entry inline(String target, String role, String document) {
        return new Backup.Entry("DELETE_INLINE_POLICY", target, Map.of("principalKind", "ROLE", "principalName", role,
                "policyName", "reports", "document", document));
    }

    static Backup backup(String id, Backup.Entry... entries) {
        return new Backup(id, "3f1e0c52-7d7b-4f0e-9a43-1d0f5a0b6c11", "2026-12-01T09:30:00Z", List.of(entries));
    }

    StoredBackup signed(Backup backup, String bytes) {
        byte[] b = bytes.getBytes(StandardCharsets.UTF_8);
        return new StoredBackup(backup, b, guardrail.sign(b));
    }

    @Test
    void aBackupAsTheGuardrailWroteItMayBeRestored() {
        Backup b = backup(ID, inline("role reporting inline policy reports", "reporting", SCOPED));
        assertThat(BackupIntegrity.problems(ID, signed(b, "{\"id\":\"" + ID + "\"}"), guardrail, false)).isEmpty();
    }

    @Test
    void aBackupRewrittenAfterItWasSignedIsRefused() {
        Backup b = backup(ID, inline("role reporting inline policy reports", "reporting", SCOPED));
        StoredBackup original = signed(b, "{\"id\":\"" + ID + "\",\"principalName\":\"reporting\"}");
        StoredBackup rewritten = new StoredBackup(b, "{\"id\":\"3f1e0c52-7d7b-4f0e-9a43-1d0f5a0b6c11/1\",\"principalName\":\"admin\"}"
                .getBytes(StandardCharsets.UTF_8), original.mac());
        assertThat(BackupIntegrity.problems(ID, rewritten, guardrail, false)).containsExactly("the MAC of backup " + ID
                + " does not verify with key arn:aws:kms:us-east-1:123456789012:key/guardrail: it was changed after the"
                + " guardrail wrote it, or signed with another key");
    }

    @Test
    void aBackupSignedWithAnotherKeyIsRefusedAndAllowUnsignedDoesNotHelp() {
        HmacSigner attacker = new HmacSigner("arn:aws:kms:us-east-1:123456789012:key/attacker", "attacker secret");
        Backup b = backup(ID, inline("role reporting inline policy reports", "reporting", SCOPED));
        byte[] bytes = "{}".getBytes(StandardCharsets.UTF_8);
        StoredBackup forged = new StoredBackup(b, bytes, attacker.sign(bytes));
        assertThat(BackupIntegrity.problems(ID, forged, guardrail, true)).singleElement().asString()
                .startsWith("the MAC of backup " + ID + " does not verify");
    }

    @Test
    void anUnsignedBackupIsRefusedUnlessAllowed() {
        Backup b = backup(ID, inline("role reporting inline policy reports", "reporting", SCOPED));
        StoredBackup unsigned = new StoredBackup(b, new byte[]{'{', '}'}, Optional.empty());
        assertThat(BackupIntegrity.problems(ID, unsigned, Signer.NONE, false)).containsExactly("backup " + ID
                + " is unsigned: it carries no MAC, so nothing shows it is the one the guardrail wrote (read it, then use"
                + " --allow-unsigned to restore it anyway)");
        assertThat(BackupIntegrity.problems(ID, unsigned, Signer.NONE, true)).isEmpty();
    }

    @Test
    void anEntryWhoseTargetAndValuesDisagreeIsRefusedEvenWhenUnsignedIsAllowed() {
        Backup b = backup(ID, inline("role reporting inline policy reports", "ops-admin",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"));
        StoredBackup unsigned = new StoredBackup(b, new byte[]{'{', '}'}, Optional.empty());
        assertThat(BackupIntegrity.problems(ID, unsigned, Signer.NONE, true)).containsExactly("entry 1 (DELETE_INLINE_POLICY)"
                + " of backup " + ID + ": its target says `role reporting inline policy reports` but its values act on"
                + " `role ops-admin inline policy reports`");
    }

    @Test
    void aMovedPrincipalIsCaughtInTheTarget() {
        Backup.Entry moved = new Backup.Entry("REMOVE_FROM_GROUP", "user dev in group admins",
                Map.of("userName", "mallory", "groupName", "admins"));
        assertThat(BackupIntegrity.problems(ID, new StoredBackup(backup(ID, moved), new byte[0], Optional.empty()),
                Signer.NONE, true)).containsExactly("entry 1 (REMOVE_FROM_GROUP) of backup " + ID + ": its target says"
                + " `user dev in group admins` but its values act on `user mallory in group admins`");
    }

    @Test
    void aBackupCopiedUnderAnotherIdOrWithAnUnknownActionIsRefused() {
        Backup other = backup("0a0a0a0a-0000-4000-8000-000000000000/1", new Backup.Entry("DELETE_EVERYTHING", "*", Map.of()));
        assertThat(BackupIntegrity.problems(ID, new StoredBackup(other, new byte[0], Optional.empty()), Signer.NONE, true))
                .containsExactly("expected backup " + ID + " but the object holds backup `0a0a0a0a-0000-4000-8000-000000000000/1`",
                        "entry 1 (DELETE_EVERYTHING) of backup " + ID + ": expected one of DETACH_POLICY, DELETE_INLINE_POLICY,"
                                + " RESTORE_DEFAULT_VERSION, RESTORE_TRUST_POLICY, DEACTIVATE_ACCESS_KEY, REMOVE_FROM_GROUP,"
                                + " RESTORE_BOUNDARY or QUARANTINE as a backup entry's action but found `DELETE_EVERYTHING`");
    }
}
