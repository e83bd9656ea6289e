package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.Optional;

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
        return switch (e.action()) {
            case "DETACH_POLICY" -> new RemediationAction.DetachPolicy(ref(e), e.value("policyArn"));
            case "DELETE_INLINE_POLICY" -> new RemediationAction.DeleteInlinePolicy(ref(e), e.value("policyName"));
            case "RESTORE_DEFAULT_VERSION" -> new RemediationAction.RestoreDefaultVersion(e.value("policyArn"),
                    e.value("riskyVersionId"), Optional.of(e.value("restoredVersionId")));
            case "RESTORE_TRUST_POLICY" -> new RemediationAction.RestoreTrustPolicy(e.value("roleName"));
            case "DEACTIVATE_ACCESS_KEY" -> new RemediationAction.DeactivateAccessKey(e.value("userName"), e.value("accessKeyId"));
            case "REMOVE_FROM_GROUP" -> new RemediationAction.RemoveFromGroup(e.value("userName"), e.value("groupName"));
            case "RESTORE_BOUNDARY" -> new RemediationAction.RestoreBoundary(ref(e));
            case "QUARANTINE" -> new RemediationAction.Quarantine(ref(e), e.value("policyArn"));
            default -> throw new IllegalArgumentException("expected one of DETACH_POLICY, DELETE_INLINE_POLICY,"
                    + " RESTORE_DEFAULT_VERSION, RESTORE_TRUST_POLICY, DEACTIVATE_ACCESS_KEY, REMOVE_FROM_GROUP,"
                    + " RESTORE_BOUNDARY or QUARANTINE as a backup entry's action but found `" + e.action() + "`");
        };
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
