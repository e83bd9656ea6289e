package io.iamguardrail.remediation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Puts back what a remediation changed, from its backup, exactly. Each entry is checked first: when the current state
 * is no longer the one the remediation left (someone changed it since), the whole restore is refused unless forced,
 * so a restore never silently overwrites a newer change. An entry already back in place is left alone. Everything is
 * taken, and shown, from each entry's values; {@link BackupIntegrity} has checked the backup before it gets here.
 */
public final class Restorer {

    public enum Status { RESTORED, ALREADY_IN_PLACE, MOVED_ON, NOT_RESTORED, FAILED }

    public record Step(String action, String target, Status status, String detail) {
    }

    /** The outcome: {@code refused} when nothing was done because the state moved on (and --force was not given). */
    public record Result(List<Step> steps, boolean refused) {
        public boolean ok() {
            return !refused && steps.stream().noneMatch(s -> s.status() == Status.FAILED || s.status() == Status.MOVED_ON);
        }
    }

    private final IamPort iam;

    public Restorer(IamPort iam) {
        this.iam = iam;
    }

    /** What checking an entry against the live state found, how to put it back, and what that did. */
    private record Check(Status status, String detail, Runnable undo, String undone) {
    }

    public Result restore(Backup backup, boolean force) {
        List<Backup.Entry> entries = new ArrayList<>(backup.entries());
        Collections.reverse(entries); // undo in the reverse order of the actions
        List<Check> checks = new ArrayList<>();
        for (Backup.Entry e : entries) {
            checks.add(check(e));
        }
        boolean movedOn = checks.stream().anyMatch(c -> c.status() == Status.MOVED_ON);
        List<Step> steps = new ArrayList<>();
        if (movedOn && !force) {
            for (int i = 0; i < entries.size(); i++) {
                Check c = checks.get(i);
                boolean ready = c.status() == Status.RESTORED;
                steps.add(new Step(entries.get(i).action(), shown(entries.get(i)), ready ? Status.NOT_RESTORED : c.status(),
                        ready ? "not restored: the restore was refused" : c.detail()));
            }
            return new Result(steps, true);
        }
        for (int i = 0; i < entries.size(); i++) {
            Backup.Entry e = entries.get(i);
            Check c = checks.get(i);
            if (c.status() == Status.ALREADY_IN_PLACE || c.undo() == null) {
                steps.add(new Step(e.action(), shown(e), c.status(), c.detail()));
                continue;
            }
            try {
                c.undo().run();
                steps.add(new Step(e.action(), shown(e), Status.RESTORED, c.undone() + (c.status() == Status.MOVED_ON
                        ? " (forced over a newer change: " + c.detail() + ")" : "")));
            } catch (RuntimeException ex) {
                steps.add(new Step(e.action(), shown(e), Status.FAILED, "the call failed: " + ex.getClass().getSimpleName()
                        + (ex.getMessage() == null ? "" : ": " + Planner.firstLine(ex.getMessage()))));
            }
        }
        return new Result(steps, false);
    }

    /** What the entry acts on, from its values: the stored {@code target} is never what is shown. */
    private static String shown(Backup.Entry e) {
        try {
            return BackupEntries.target(e);
        } catch (IllegalArgumentException bad) {
            return "(unreadable entry)";
        }
    }

    /** The entry checked by its own action; an entry nobody can read fails alone, with what was wrong. */
    private Check check(Backup.Entry e) {
        try {
            Optional<RemediationAction> action = Remediations.fromBackup(e);
            if (action.isEmpty()) {
                return new Check(Status.FAILED, "unknown action `" + e.action() + "` in the backup", null, "");
            }
            Lifecycle.Restoring r = action.get().restoring(e, iam);
            return new Check(r.status(), r.detail(), r.undo(), action.get().restored(e));
        } catch (IllegalArgumentException bad) {
            return new Check(Status.FAILED, bad.getMessage(), null, "");
        }
    }
}
