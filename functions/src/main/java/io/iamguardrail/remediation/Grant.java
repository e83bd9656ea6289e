package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

/**
 * One permission the guardrail's remediation calls: the action, on the kind of resource IAM authorises it on. The
 * remediation policy in template.yaml grants exactly these (a template test compares the two).
 */
public record Grant(String action, Resource resource) implements Comparable<Grant> {

    /** What a call is authorised on, as a policy's {@code Resource} names it. */
    public enum Resource {
        ROLE, USER, GROUP,
        /** A customer-managed policy of the account. */
        POLICY,
        /** The objects under {@code backups/} in the backup bucket. */
        BACKUP_OBJECTS,
        /** The backup bucket itself (listing). */
        BACKUP_BUCKET,
        /** The stack's HMAC key that signs backups and snapshots. */
        MAC_KEY,
        /** The guardrail's table: snapshots, ledger, rate counter. */
        STATE_TABLE,
        /** An action without a resource type: IAM accepts only {@code *}. */
        ANY;

        static Resource of(PrincipalRef ref) {
            return switch (ref.kind()) {
                case ROLE -> ROLE;
                case USER -> USER;
                case GROUP -> GROUP;
            };
        }
    }

    /** The action on the principal itself. */
    static Grant on(PrincipalRef ref, String action) {
        return new Grant(action, Resource.of(ref));
    }

    static Grant onPolicy(String action) {
        return new Grant(action, Resource.POLICY);
    }

    @Override
    public int compareTo(Grant o) {
        int byAction = action.compareTo(o.action);
        return byAction != 0 ? byAction : resource.compareTo(o.resource);
    }
}
