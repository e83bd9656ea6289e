package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.iamguardrail.remediation.ActionWords.aws;
import static io.iamguardrail.remediation.ActionWords.cli;
import static io.iamguardrail.remediation.ActionWords.nameFlag;
import static io.iamguardrail.remediation.ActionWords.noun;

/** Detach a risky managed policy from a role, user or group. */
public record DetachPolicy(PrincipalRef on, String policyArn) implements RemediationAction {

    static final String KIND = "DETACH_POLICY";

    public String kind() {
        return KIND;
    }

    public String target() {
        return policyArn;
    }

    public String describe() {
        return "detach " + policyArn + " from " + on;
    }

    public Optional<PrincipalRef> principal() {
        return Optional.of(on);
    }

    public Set<Grant> grants() {
        return Set.of(Grant.on(on, "iam:Get" + noun(on)), Grant.on(on, "iam:ListAttached" + noun(on) + "Policies"),
                Grant.on(on, "iam:Detach" + noun(on) + "Policy"));
    }

    public List<String> undoCommands() {
        return List.of(aws("attach-" + cli(on) + "-policy", nameFlag(on), on.name(), "--policy-arn", policyArn));
    }

    public Lifecycle.Prepared prepare(Lifecycle.Context c, String eventId, Optional<String> chosen) throws Lifecycle.Noop {
        IamPort iam = c.iam();
        Lifecycle.requirePrincipal(iam, on);
        if (!iam.attachedPolicies(on).contains(policyArn)) {
            throw new Lifecycle.Noop(policyArn + " is no longer attached to " + on);
        }
        return new Lifecycle.Prepared(this, ActionWords.values(on, "policyArn", policyArn),
                () -> iam.detachPolicy(on, policyArn), () -> !iam.attachedPolicies(on).contains(policyArn),
                "detached " + policyArn + " from " + on);
    }

    public Lifecycle.Restoring restoring(Backup.Entry e, IamPort iam) {
        if (iam.principal(on).isEmpty()) {
            return Lifecycle.Restoring.gone(on + " no longer exists");
        }
        if (iam.attachedPolicies(on).contains(policyArn)) {
            return Lifecycle.Restoring.inPlace(policyArn + " is attached to " + on + " already");
        }
        return Lifecycle.Restoring.ready(() -> iam.attachPolicy(on, policyArn));
    }

    public String restored(Backup.Entry e) {
        return "re-attached " + policyArn + " to " + on;
    }

    static DetachPolicy fromBackup(Backup.Entry e) {
        return new DetachPolicy(BackupEntries.ref(e), e.value("policyArn"));
    }

    static List<RemediationAction> examples() {
        return Examples.onEveryPrincipal(ref -> new DetachPolicy(ref, Examples.POLICY));
    }
}
