package io.iamguardrail.remediation;

import io.iamguardrail.json.NodeReader;
import io.iamguardrail.state.PrincipalRef;

import java.util.ArrayList;
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

    /** What checking an entry against the live state found, and how to put it back. */
    private record Check(Status status, String detail, Runnable undo) {
    }

    public Result restore(Backup backup, boolean force) {
        List<Backup.Entry> entries = new ArrayList<>(backup.entries());
        java.util.Collections.reverse(entries); // undo in the reverse order of the actions
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
                steps.add(new Step(e.action(), shown(e), Status.RESTORED, undone(e) + (c.status() == Status.MOVED_ON
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

    private static String undone(Backup.Entry e) {
        return switch (e.action()) {
            case "DETACH_POLICY" -> "re-attached " + e.value("policyArn") + " to " + ref(e);
            case "DELETE_INLINE_POLICY" -> "put the inline policy " + e.value("policyName") + " of " + ref(e) + " back";
            case "RESTORE_DEFAULT_VERSION" -> "set " + e.value("riskyVersionId") + " of " + e.value("policyArn") + " as default again";
            case "RESTORE_TRUST_POLICY" -> "put the trust policy of role " + e.value("roleName") + " back";
            case "DEACTIVATE_ACCESS_KEY" -> "reactivated access key " + e.value("accessKeyId") + " of user " + e.value("userName");
            case "REMOVE_FROM_GROUP" -> "added user " + e.value("userName") + " to group " + e.value("groupName") + " again";
            case "RESTORE_BOUNDARY" -> "removed the permissions boundary of " + ref(e) + " again";
            case "QUARANTINE" -> "lifted the quarantine of " + ref(e);
            default -> e.action();
        };
    }

    private Check check(Backup.Entry e) {
        try {
            return switch (e.action()) {
                case "DETACH_POLICY" -> detach(e);
                case "DELETE_INLINE_POLICY" -> inline(e);
                case "RESTORE_DEFAULT_VERSION" -> version(e);
                case "RESTORE_TRUST_POLICY" -> trust(e);
                case "DEACTIVATE_ACCESS_KEY" -> key(e);
                case "REMOVE_FROM_GROUP" -> group(e);
                case "RESTORE_BOUNDARY" -> boundary(e);
                case "QUARANTINE" -> quarantine(e);
                default -> new Check(Status.FAILED, "unknown action `" + e.action() + "` in the backup", null);
            };
        } catch (IllegalArgumentException bad) {
            return new Check(Status.FAILED, bad.getMessage(), null);
        }
    }

    private Check detach(Backup.Entry e) {
        PrincipalRef ref = ref(e);
        String arn = e.value("policyArn");
        if (iam.principal(ref).isEmpty()) {
            return new Check(Status.MOVED_ON, ref + " no longer exists", null);
        }
        if (iam.attachedPolicies(ref).contains(arn)) {
            return new Check(Status.ALREADY_IN_PLACE, arn + " is attached to " + ref + " already", null);
        }
        return new Check(Status.RESTORED, "", () -> iam.attachPolicy(ref, arn));
    }

    private Check inline(Backup.Entry e) {
        PrincipalRef ref = ref(e);
        String name = e.value("policyName");
        String doc = e.value("document");
        if (iam.principal(ref).isEmpty()) {
            return new Check(Status.MOVED_ON, ref + " no longer exists", null);
        }
        Optional<String> now = iam.inlinePolicy(ref, name);
        if (now.isPresent()) {
            return NodeReader.sameDocument(now.get(), doc)
                    ? new Check(Status.ALREADY_IN_PLACE, "the inline policy " + name + " of " + ref + " is back already", null)
                    : new Check(Status.MOVED_ON, ref + " has a different inline policy " + name + " now",
                    () -> iam.putInlinePolicy(ref, name, doc));
        }
        return new Check(Status.RESTORED, "", () -> iam.putInlinePolicy(ref, name, doc));
    }

    private Check version(Backup.Entry e) {
        String arn = e.value("policyArn");
        String risky = e.value("riskyVersionId");
        String restored = e.value("restoredVersionId");
        Optional<String> now = iam.defaultVersion(arn);
        if (now.isEmpty()) {
            return new Check(Status.MOVED_ON, arn + " no longer exists", null);
        }
        if (now.get().equals(risky)) {
            return new Check(Status.ALREADY_IN_PLACE, risky + " of " + arn + " is the default already", null);
        }
        Runnable undo = () -> iam.setDefaultVersion(arn, risky);
        return now.get().equals(restored) ? new Check(Status.RESTORED, "", undo)
                : new Check(Status.MOVED_ON, "the default version of " + arn + " is " + now.get() + " now, not " + restored, undo);
    }

    private Check trust(Backup.Entry e) {
        String role = e.value("roleName");
        String doc = e.value("document");
        String restored = e.value("restoredDocument");
        Optional<String> now = iam.trustPolicy(role);
        if (now.isEmpty()) {
            return new Check(Status.MOVED_ON, "role " + role + " no longer exists", null);
        }
        if (NodeReader.sameDocument(now.get(), doc)) {
            return new Check(Status.ALREADY_IN_PLACE, "role " + role + " has that trust policy already", null);
        }
        Runnable undo = () -> iam.updateTrustPolicy(role, doc);
        return NodeReader.sameDocument(now.get(), restored) ? new Check(Status.RESTORED, "", undo)
                : new Check(Status.MOVED_ON, "the trust policy of role " + role + " changed since the remediation", undo);
    }

    private Check key(Backup.Entry e) {
        String user = e.value("userName");
        String key = e.value("accessKeyId");
        Optional<String> now = iam.accessKeyStatus(user, key);
        if (now.isEmpty()) {
            return new Check(Status.MOVED_ON, "access key " + key + " of user " + user + " no longer exists", null);
        }
        if (now.get().equals("Active")) {
            return new Check(Status.ALREADY_IN_PLACE, "access key " + key + " is active already", null);
        }
        return new Check(Status.RESTORED, "", () -> iam.setAccessKeyStatus(user, key, "Active"));
    }

    private Check group(Backup.Entry e) {
        String user = e.value("userName");
        String group = e.value("groupName");
        if (iam.principal(new PrincipalRef(PrincipalRef.Kind.USER, user)).isEmpty()) {
            return new Check(Status.MOVED_ON, "user " + user + " no longer exists", null);
        }
        if (iam.groupsForUser(user).contains(group)) {
            return new Check(Status.ALREADY_IN_PLACE, "user " + user + " is in group " + group + " already", null);
        }
        return new Check(Status.RESTORED, "", () -> iam.addUserToGroup(user, group));
    }

    private Check boundary(Backup.Entry e) {
        PrincipalRef ref = ref(e);
        String arn = e.value("boundaryArn");
        if (iam.principal(ref).isEmpty()) {
            return new Check(Status.MOVED_ON, ref + " no longer exists", null);
        }
        Optional<String> now = iam.boundary(ref);
        if (now.isEmpty()) {
            return new Check(Status.ALREADY_IN_PLACE, ref + " has no permissions boundary already", null);
        }
        Runnable undo = () -> iam.deleteBoundary(ref);
        return now.get().equals(arn) ? new Check(Status.RESTORED, "", undo)
                : new Check(Status.MOVED_ON, "the permissions boundary of " + ref + " is " + now.get() + " now", undo);
    }

    private Check quarantine(Backup.Entry e) {
        PrincipalRef ref = ref(e);
        String arn = e.value("policyArn");
        String key = e.value("tagKey");
        if (iam.principal(ref).isEmpty()) {
            return new Check(Status.MOVED_ON, ref + " no longer exists", null);
        }
        boolean attached = iam.attachedPolicies(ref).contains(arn);
        boolean taggable = ref.kind() != PrincipalRef.Kind.GROUP;
        Optional<String> tag = taggable ? iam.tag(ref, key) : Optional.empty();
        if (!attached && tag.isEmpty()) {
            return new Check(Status.ALREADY_IN_PLACE, ref + " is not quarantined", null);
        }
        return new Check(Status.RESTORED, "", () -> {
            if (attached) {
                iam.detachPolicy(ref, arn);
            }
            if (tag.isPresent()) {
                iam.untag(ref, key);
            }
        });
    }

    private static PrincipalRef ref(Backup.Entry e) {
        return BackupEntries.ref(e);
    }
}
