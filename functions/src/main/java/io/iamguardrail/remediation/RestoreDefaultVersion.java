package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.iamguardrail.remediation.ActionWords.aws;

/**
 * Set the previous default version of a customer-managed policy back; the risky version stays, non-default, for
 * review. {@code previousVersionId} is empty until the executor has read the versions.
 */
public record RestoreDefaultVersion(String policyArn, String riskyVersionId, Optional<String> previousVersionId)
        implements RemediationAction {

    static final String KIND = "RESTORE_DEFAULT_VERSION";

    public String kind() {
        return KIND;
    }

    public String target() {
        return policyArn;
    }

    public String describe() {
        return "set the previous default version" + previousVersionId.map(v -> " " + v).orElse("") + " of "
                + policyArn + " back (" + riskyVersionId + " stays, not default, for review)";
    }

    public Optional<PrincipalRef> principal() {
        return Optional.empty();
    }

    /** ListEntitiesForPolicy: the policy's holders are judged with the version before it is set back. */
    public Set<Grant> grants() {
        return Set.of(Grant.onPolicy("iam:GetPolicy"), Grant.onPolicy("iam:ListPolicyVersions"),
                Grant.onPolicy("iam:ListEntitiesForPolicy"), Grant.onPolicy("iam:SetDefaultPolicyVersion"));
    }

    public List<String> undoCommands() {
        return List.of(aws("set-default-policy-version", "--policy-arn", policyArn, "--version-id", riskyVersionId));
    }

    private boolean awsManaged() {
        return policyArn.contains(":aws:policy/");
    }

    /**
     * Only the version recorded as the last default that evaluated clean, still there, and judged below the alert
     * threshold for the policy's holders; otherwise its holders are quarantined.
     */
    @Override
    public Lifecycle.Resolution resolve(Lifecycle.Context c) {
        if (awsManaged()) {
            return new Lifecycle.Gone(policyArn + " is AWS managed: its versions are not ours to change");
        }
        List<PrincipalRef> holders = c.assessor().attachedTo(policyArn, Executor.MAX_POLICY_ENTITIES + 1);
        Optional<String> clean = c.iam().policyId(policyArn)
                .flatMap(id -> c.snapshots().cleanDefaultVersion(policyArn, id))
                .filter(v -> !v.equals(riskyVersionId) && c.iam().versions(policyArn).contains(v));
        if (clean.isEmpty()) {
            return new Lifecycle.QuarantineInstead(holders, "no version of " + policyArn + " is recorded as a default"
                    + " that evaluated clean");
        }
        List<PrincipalRef> judged = holders.subList(0, Math.min(holders.size(), Executor.MAX_POLICY_ENTITIES));
        List<String> risks = new ArrayList<>();
        for (PrincipalRef holder : judged) {
            c.assessor().risks(holder, new Assessor.DefaultVersion(policyArn, clean.get()))
                    .forEach(r -> risks.add(holder + ": " + r));
        }
        if (!risks.isEmpty()) {
            return new Lifecycle.QuarantineInstead(holders, "version " + clean.get() + " of " + policyArn
                    + " would alert now (" + String.join("; ", risks) + ")");
        }
        return new Lifecycle.Proceed(clean, judged);
    }

    public Lifecycle.Prepared prepare(Lifecycle.Context c, String eventId, Optional<String> chosen) throws Lifecycle.Noop {
        IamPort iam = c.iam();
        if (awsManaged()) {
            throw new Lifecycle.Noop(policyArn + " is AWS managed: its versions are not ours to change");
        }
        String current = iam.defaultVersion(policyArn).orElseThrow(() -> new Lifecycle.Noop(policyArn + " no longer exists"));
        if (!current.equals(riskyVersionId)) {
            throw new Lifecycle.Noop("the default version of " + policyArn + " is " + current + " now, not " + riskyVersionId);
        }
        // Only the version recorded as the last default that evaluated clean, never one that was never default.
        String previous = chosen.orElseThrow(() -> new IllegalStateException("no version chosen for " + policyArn));
        return new Lifecycle.Prepared(this, Map.of("policyArn", policyArn, "riskyVersionId", riskyVersionId,
                "restoredVersionId", previous), () -> iam.setDefaultVersion(policyArn, previous),
                () -> iam.defaultVersion(policyArn).orElse("").equals(previous),
                "set version " + previous + " of " + policyArn + " back as default (" + riskyVersionId
                        + " kept, not default, for review)");
    }

    public Lifecycle.Restoring restoring(Backup.Entry e, IamPort iam) {
        String restored = e.value("restoredVersionId");
        Optional<String> now = iam.defaultVersion(policyArn);
        if (now.isEmpty()) {
            return Lifecycle.Restoring.gone(policyArn + " no longer exists");
        }
        if (now.get().equals(riskyVersionId)) {
            return Lifecycle.Restoring.inPlace(riskyVersionId + " of " + policyArn + " is the default already");
        }
        Runnable undo = () -> iam.setDefaultVersion(policyArn, riskyVersionId);
        return now.get().equals(restored) ? Lifecycle.Restoring.ready(undo)
                : Lifecycle.Restoring.movedOn("the default version of " + policyArn + " is " + now.get() + " now, not "
                + restored, undo);
    }

    public String restored(Backup.Entry e) {
        return "set " + riskyVersionId + " of " + policyArn + " as default again";
    }

    static RestoreDefaultVersion fromBackup(Backup.Entry e) {
        return new RestoreDefaultVersion(e.value("policyArn"), e.value("riskyVersionId"),
                Optional.of(e.value("restoredVersionId")));
    }

    static List<RemediationAction> examples() {
        return List.of(new RestoreDefaultVersion(Examples.POLICY, "v2", Optional.empty()));
    }
}
