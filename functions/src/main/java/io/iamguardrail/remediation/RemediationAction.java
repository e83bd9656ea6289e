package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One thing the guardrail may do to undo a risky change, with its whole lifecycle: it names what it touches and the
 * IAM actions it calls on which resources (reads to re-check and verify included, as Cloud Custodian's
 * {@code get_permissions}), resolves what it would write back (judged before any write), prepares itself from the
 * live state, acts, verifies, and puts back what it changed from its backup entry. The {@link Executor} is the loop
 * around it and keeps every safety step; {@link Restorer} runs {@link #restoring} for {@code restore}.
 */
public sealed interface RemediationAction permits DetachPolicy, DeleteInlinePolicy, RestoreDefaultVersion,
        RestoreTrustPolicy, DeactivateAccessKey, RemoveFromGroup, RestoreBoundary, Quarantine {

    /** The stable name in alerts and backups: DETACH_POLICY, DELETE_INLINE_POLICY, ... */
    String kind();

    /** What is touched, as a reader finds it in the console: an ARN, or a principal and a policy name. */
    String target();

    /** One line: what the action does. */
    String describe();

    /** The principal the action acts on; empty for an action on a managed policy itself. */
    Optional<PrincipalRef> principal();

    /** Every IAM call of this action's lifecycle, reads included, on the kind of resource IAM authorises it on. */
    Set<Grant> grants();

    /** IAM action names the executor calls for this action, reads included, sorted. */
    default Set<String> requiredPermissions() {
        Set<String> names = new TreeSet<>();
        grants().forEach(g -> names.add(g.action()));
        return names;
    }

    /** The AWS CLI commands that undo the action (documents come from the backup). */
    List<String> undoCommands();

    /**
     * What the action would write back, chosen and judged for every principal it applies to before anything is
     * written: a restore that is unknown, rejected or would alert quarantines instead. Most actions write nothing
     * back and just proceed.
     */
    default Lifecycle.Resolution resolve(Lifecycle.Context c) {
        return Lifecycle.proceed(this);
    }

    /**
     * Re-reads what the action is about and readies it: what to back up, the call that acts, the re-read that
     * verifies. {@code chosen} is what {@link #resolve} chose to write back.
     *
     * @throws Lifecycle.Noop when the problem is gone already
     */
    Lifecycle.Prepared prepare(Lifecycle.Context c, String eventId, Optional<String> chosen) throws Lifecycle.Noop;

    /**
     * The entry of this action in a backup checked against the live state, and the call that puts it back. The
     * action was read from the entry's values; the entry holds the rest (documents, the values written).
     *
     * @throws IllegalArgumentException naming a value the entry lacks
     */
    Lifecycle.Restoring restoring(Backup.Entry e, IamPort iam);

    /** What putting the entry back did, in one line. */
    String restored(Backup.Entry e);
}
