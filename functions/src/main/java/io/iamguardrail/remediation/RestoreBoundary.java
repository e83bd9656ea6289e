package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.iamguardrail.remediation.ActionWords.aws;
import static io.iamguardrail.remediation.ActionWords.cli;
import static io.iamguardrail.remediation.ActionWords.nameFlag;
import static io.iamguardrail.remediation.ActionWords.noun;

/** Put a removed permissions boundary back (the last one known, from the snapshot store). */
public record RestoreBoundary(PrincipalRef on) implements RemediationAction {

    static final String KIND = "RESTORE_BOUNDARY";

    public String kind() {
        return KIND;
    }

    public String target() {
        return on + " permissions boundary";
    }

    public String describe() {
        return "put the last known permissions boundary of " + on + " back";
    }

    public Optional<PrincipalRef> principal() {
        return Optional.of(on);
    }

    public Set<Grant> grants() {
        return Set.of(Grant.on(on, "iam:Get" + noun(on)), Grant.on(on, "iam:Put" + noun(on) + "PermissionsBoundary"));
    }

    public List<String> undoCommands() {
        return List.of(aws("delete-" + cli(on) + "-permissions-boundary", nameFlag(on), on.name()));
    }

    /** A boundary only limits access; one not recorded, or rejected, quarantines instead. */
    @Override
    public Lifecycle.Resolution resolve(Lifecycle.Context c) {
        Optional<IamPort.Principal> live = c.iam().principal(on);
        if (live.isEmpty()) {
            return new Lifecycle.Gone(on + " no longer exists");
        }
        SnapshotStore.Read recorded = c.snapshots().read(SnapshotStore.Slot.boundary(live.get()));
        if (recorded instanceof SnapshotStore.Rejected rejected) {
            return new Lifecycle.QuarantineInstead(List.of(on), "the recorded permissions boundary of " + on
                    + " was rejected (" + rejected.reason() + ")");
        }
        if (recorded.value().isEmpty() && c.iam().boundary(on).isEmpty()) {
            return new Lifecycle.QuarantineInstead(List.of(on), "no last known permissions boundary of " + on
                    + " is recorded");
        }
        return Lifecycle.proceed(this);
    }

    public Lifecycle.Prepared prepare(Lifecycle.Context c, String eventId, Optional<String> chosen) throws Lifecycle.Noop {
        IamPort iam = c.iam();
        IamPort.Principal principal = iam.principal(on).orElseThrow(() -> new Lifecycle.Noop(on + " no longer exists"));
        if (iam.boundary(on).isPresent()) {
            throw new Lifecycle.Noop(on + " has a permissions boundary again");
        }
        String good = c.snapshots().boundary(principal).orElseThrow(() -> new Lifecycle.Noop(
                "no last known permissions boundary of " + on + " is recorded: nothing to put back"));
        return new Lifecycle.Prepared(this, ActionWords.values(on, "boundaryArn", good), () -> iam.putBoundary(on, good),
                () -> iam.boundary(on).orElse("").equals(good), "put the permissions boundary " + good + " of " + on + " back");
    }

    public Lifecycle.Restoring restoring(Backup.Entry e, IamPort iam) {
        String arn = e.value("boundaryArn");
        if (iam.principal(on).isEmpty()) {
            return Lifecycle.Restoring.gone(on + " no longer exists");
        }
        Optional<String> now = iam.boundary(on);
        if (now.isEmpty()) {
            return Lifecycle.Restoring.inPlace(on + " has no permissions boundary already");
        }
        Runnable undo = () -> iam.deleteBoundary(on);
        return now.get().equals(arn) ? Lifecycle.Restoring.ready(undo)
                : Lifecycle.Restoring.movedOn("the permissions boundary of " + on + " is " + now.get() + " now", undo);
    }

    public String restored(Backup.Entry e) {
        return "removed the permissions boundary of " + on + " again";
    }

    static RestoreBoundary fromBackup(Backup.Entry e) {
        return new RestoreBoundary(BackupEntries.ref(e));
    }

    /** Groups have no permissions boundary. */
    static List<RemediationAction> examples() {
        return Examples.on(List.of(PrincipalRef.Kind.ROLE, PrincipalRef.Kind.USER), RestoreBoundary::new);
    }
}
