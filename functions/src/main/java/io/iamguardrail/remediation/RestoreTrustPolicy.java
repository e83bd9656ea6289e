package io.iamguardrail.remediation;

import io.iamguardrail.json.NodeReader;
import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static io.iamguardrail.remediation.ActionWords.aws;
import static io.iamguardrail.remediation.ActionWords.inTheBackup;

/** Put the role's last trust policy that evaluated clean back (from the snapshot store). */
public record RestoreTrustPolicy(String roleName) implements RemediationAction {

    static final String KIND = "RESTORE_TRUST_POLICY";

    public String kind() {
        return KIND;
    }

    public String target() {
        return "role " + roleName + " trust policy";
    }

    public String describe() {
        return "restore the last known good trust policy of role " + roleName + " (quarantine when none is known)";
    }

    public Optional<PrincipalRef> principal() {
        return Optional.of(role());
    }

    private PrincipalRef role() {
        return new PrincipalRef(PrincipalRef.Kind.ROLE, roleName);
    }

    public Set<Grant> grants() {
        // Without a last known good trust policy it quarantines: those permissions too.
        Set<Grant> g = new TreeSet<>(Set.of(Grant.on(role(), "iam:GetRole"), Grant.on(role(), "iam:UpdateAssumeRolePolicy")));
        g.addAll(new Quarantine(role(), "").grants());
        return g;
    }

    public List<String> undoCommands() {
        return List.of(aws("update-assume-role-policy", "--role-name", roleName, "--policy-document",
                "file://trust.json") + inTheBackup("trust.json"));
    }

    /** Only a recorded, verified trust policy that is judged below the alert threshold; otherwise a quarantine. */
    @Override
    public Lifecycle.Resolution resolve(Lifecycle.Context c) {
        PrincipalRef role = role();
        Optional<IamPort.Principal> live = c.iam().principal(role);
        if (live.isEmpty()) {
            return new Lifecycle.Gone("role " + roleName + " no longer exists");
        }
        SnapshotStore.Read recorded = c.snapshots().read(SnapshotStore.Slot.trustPolicy(live.get()));
        if (recorded instanceof SnapshotStore.Rejected rejected) {
            return new Lifecycle.QuarantineInstead(List.of(role), "the recorded trust policy of role " + roleName
                    + " was rejected (" + rejected.reason() + ")");
        }
        Optional<String> good = recorded.value();
        if (good.isEmpty()) {
            return new Lifecycle.QuarantineInstead(List.of(role), "no last known good trust policy of role " + roleName
                    + " is recorded");
        }
        List<String> risks = c.assessor().risks(role, new Assessor.Trust(good.get()));
        if (!risks.isEmpty()) {
            return new Lifecycle.QuarantineInstead(List.of(role), "the last known good trust policy of role " + roleName
                    + " would alert now (" + String.join("; ", risks) + ")");
        }
        return new Lifecycle.Proceed(good, List.of(role));
    }

    public Lifecycle.Prepared prepare(Lifecycle.Context c, String eventId, Optional<String> chosen) throws Lifecycle.Noop {
        IamPort iam = c.iam();
        String current = iam.trustPolicy(roleName).orElseThrow(() -> new Lifecycle.Noop("role " + roleName + " no longer exists"));
        String good = chosen.orElseThrow(() -> new IllegalStateException("no trust policy chosen for role " + roleName));
        if (NodeReader.sameDocument(current, good)) {
            throw new Lifecycle.Noop("role " + roleName + " already has its last known good trust policy");
        }
        return new Lifecycle.Prepared(this, Map.of("roleName", roleName, "document", current, "restoredDocument", good),
                () -> iam.updateTrustPolicy(roleName, good),
                () -> iam.trustPolicy(roleName).map(t -> NodeReader.sameDocument(t, good)).orElse(false),
                "restored the last known good trust policy of role " + roleName + " (the risky one is in the backup)");
    }

    public Lifecycle.Restoring restoring(Backup.Entry e, IamPort iam) {
        String doc = e.value("document");
        String restored = e.value("restoredDocument");
        Optional<String> now = iam.trustPolicy(roleName);
        if (now.isEmpty()) {
            return Lifecycle.Restoring.gone("role " + roleName + " no longer exists");
        }
        if (NodeReader.sameDocument(now.get(), doc)) {
            return Lifecycle.Restoring.inPlace("role " + roleName + " has that trust policy already");
        }
        Runnable undo = () -> iam.updateTrustPolicy(roleName, doc);
        return NodeReader.sameDocument(now.get(), restored) ? Lifecycle.Restoring.ready(undo)
                : Lifecycle.Restoring.movedOn("the trust policy of role " + roleName + " changed since the remediation", undo);
    }

    public String restored(Backup.Entry e) {
        return "put the trust policy of role " + roleName + " back";
    }

    static RestoreTrustPolicy fromBackup(Backup.Entry e) {
        return new RestoreTrustPolicy(e.value("roleName"));
    }

    static List<RemediationAction> examples() {
        return List.of(new RestoreTrustPolicy("example"));
    }
}
