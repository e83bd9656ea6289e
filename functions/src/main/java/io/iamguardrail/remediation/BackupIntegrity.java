package io.iamguardrail.remediation;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a stored backup may be restored, checked before anything is read from IAM or written to it: its MAC is
 * the signer's over its exact bytes (an unsigned backup only when the operator allows it), it is the backup that
 * was asked for, and every entry's {@code target} agrees with the values {@code restore} acts on. Anyone who can
 * write the bucket can rewrite a backup; this is what keeps {@code restore} from writing what they chose.
 */
public final class BackupIntegrity {

    private BackupIntegrity() {
    }

    /** Why the backup must not be restored, one line each; empty when it may be. */
    public static List<String> problems(String backupId, StoredBackup stored, Signer signer, boolean allowUnsigned) {
        List<String> problems = new ArrayList<>();
        if (stored.mac().isEmpty()) {
            if (!allowUnsigned) {
                problems.add("backup " + backupId + " is unsigned: it carries no MAC, so nothing shows it is the one the"
                        + " guardrail wrote (read it, then use --allow-unsigned to restore it anyway)");
            }
        } else {
            try {
                if (!signer.verify(stored.bytes(), stored.mac().get())) {
                    problems.add("the MAC of backup " + backupId + " does not verify with " + signer + ": it was changed"
                            + " after the guardrail wrote it, or signed with another key");
                }
            } catch (RuntimeException e) {
                problems.add("the MAC of backup " + backupId + " could not be verified with " + signer + ": "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + Planner.firstLine(e.getMessage())));
            }
        }
        Backup backup = stored.backup();
        if (!backup.id().equals(backupId)) {
            problems.add("expected backup " + backupId + " but the object holds backup `" + backup.id() + "`");
        }
        List<Backup.Entry> entries = backup.entries();
        if (entries.isEmpty()) {
            problems.add("backup " + backupId + " has no entries: nothing to restore");
        }
        for (int i = 0; i < entries.size(); i++) {
            Backup.Entry e = entries.get(i);
            String where = "entry " + (i + 1) + " (" + e.action() + ") of backup " + backupId;
            try {
                String fromValues = BackupEntries.target(e);
                if (!fromValues.equals(e.target())) {
                    problems.add(where + ": its target says `" + e.target() + "` but its values act on `" + fromValues + "`");
                }
            } catch (IllegalArgumentException bad) {
                problems.add(where + ": " + bad.getMessage());
            }
        }
        return problems;
    }
}
