package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;


/**
 * A backup entry read from its values, the only part {@code restore} acts on: the action they describe, and so the
 * target they act on. A stored {@code target} that disagrees with it is a rewritten backup, never a label to print.
 */
public final class BackupEntries {

    private BackupEntries() {
    }

    /**
     * The action the entry's values describe.
     *
     * @throws IllegalArgumentException naming what is missing or unknown
     */
    public static RemediationAction action(Backup.Entry e) {
        return Remediations.fromBackup(e).orElseThrow(() -> new IllegalArgumentException("expected one of "
                + String.join(", ", Remediations.kinds().subList(0, Remediations.kinds().size() - 1)) + " or "
                + Remediations.kinds().get(Remediations.kinds().size() - 1) + " as a backup entry's action but found `"
                + e.action() + "`"));
    }

    /** The target recomputed from the values; the entry's own {@code target} is never shown or trusted. */
    public static String target(Backup.Entry e) {
        return action(e).target();
    }

    /** The principal of an entry whose values name one ({@code principalKind}, {@code principalName}). */
    public static PrincipalRef ref(Backup.Entry e) {
        String kind = e.value("principalKind");
        try {
            return new PrincipalRef(PrincipalRef.Kind.valueOf(kind), e.value("principalName"));
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("expected principalKind ROLE, USER or GROUP in the backup entry for "
                    + e.action() + " but found `" + kind + "`");
        }
    }
}
