package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The steps every action goes through, as the executor and {@code restore} run them: resolve what it writes back
 * (judged before any write), prepare (re-read: is the problem still there?), act, verify, and later restore.
 */
final class Lifecycle {

    private Lifecycle() {
    }

    /** What an action reads and writes through, and how it judges what it would write back. */
    record Context(IamPort iam, SnapshotStore snapshots, Assessor assessor) {
    }

    /** What resolving an action found, before anything is written. */
    sealed interface Resolution permits Proceed, QuarantineInstead, Gone {
    }

    /** Go on: {@code chosen} is what a restore writes back, {@code judged} who is judged again afterwards. */
    record Proceed(Optional<String> chosen, List<PrincipalRef> judged) implements Resolution {
    }

    /** What it would write back is unknown, rejected, or would alert: quarantine these principals instead. */
    record QuarantineInstead(List<PrincipalRef> principals, String why) implements Resolution {
    }

    /** Nothing left to act on. */
    record Gone(String why) implements Resolution {
    }

    /** One action, re-read and ready: what to back up, how to act and how to verify. */
    record Prepared(RemediationAction action, Map<String, String> backup, Runnable act, BooleanSupplier verify,
                    String detail) {
    }

    /** The problem is gone already (undone since, or a redelivered event): nothing to do. */
    static final class Noop extends Exception {
        Noop(String message) {
            super(message);
        }
    }

    /** The action must not be carried out: the state it relies on is not what it must be. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * A backup entry checked against the live state: whether it can be put back, why not, and the call that puts it
     * back ({@code null} when there is nothing to call).
     */
    record Restoring(Restorer.Status status, String detail, Runnable undo) {
        static Restoring ready(Runnable undo) {
            return new Restoring(Restorer.Status.RESTORED, "", undo);
        }

        static Restoring inPlace(String detail) {
            return new Restoring(Restorer.Status.ALREADY_IN_PLACE, detail, null);
        }

        static Restoring movedOn(String detail, Runnable undo) {
            return new Restoring(Restorer.Status.MOVED_ON, detail, undo);
        }

        static Restoring gone(String detail) {
            return new Restoring(Restorer.Status.MOVED_ON, detail, null);
        }
    }

    static void requirePrincipal(IamPort iam, PrincipalRef ref) throws Noop {
        if (iam.principal(ref).isEmpty()) {
            throw new Noop(ref + " no longer exists");
        }
    }

    /** Go on with nothing chosen to write back; the action's principal, if it has one, is judged again after acting. */
    static Resolution proceed(RemediationAction a) {
        return new Proceed(Optional.empty(), a.principal().map(List::of).orElse(List.of()));
    }
}
