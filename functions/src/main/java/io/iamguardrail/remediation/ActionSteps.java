package io.iamguardrail.remediation;

import io.iamguardrail.json.NodeReader;
import io.iamguardrail.state.PrincipalRef;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Each action's steps as the executor runs them: re-read (is the problem still there? if not: NOOP), what to back
 * up, the call that acts, and the re-read that verifies it.
 */
final class ActionSteps {

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

    private final IamPort iam;
    private final SnapshotStore snapshots;

    ActionSteps(IamPort iam, SnapshotStore snapshots) {
        this.iam = iam;
        this.snapshots = snapshots;
    }

    /**
     * Re-reads what the action is about and readies it. {@code chosen} is what a restore writes back, chosen and
     * judged by the executor beforehand: the trust document, or the version to set as default.
     */
    Prepared prepare(RemediationAction a, String eventId, Optional<String> chosen) throws Noop {
        if (a instanceof RemediationAction.DetachPolicy x) {
            requirePrincipal(x.on());
            if (!iam.attachedPolicies(x.on()).contains(x.policyArn())) {
                throw new Noop(x.policyArn() + " is no longer attached to " + x.on());
            }
            return new Prepared(a, values(x.on(), "policyArn", x.policyArn()), () -> iam.detachPolicy(x.on(), x.policyArn()),
                    () -> !iam.attachedPolicies(x.on()).contains(x.policyArn()), "detached " + x.policyArn() + " from " + x.on());
        }
        if (a instanceof RemediationAction.DeleteInlinePolicy x) {
            requirePrincipal(x.on());
            String doc = iam.inlinePolicy(x.on(), x.policyName())
                    .orElseThrow(() -> new Noop(x.on() + " no longer has the inline policy " + x.policyName()));
            return new Prepared(a, values(x.on(), "policyName", x.policyName(), "document", doc),
                    () -> iam.deleteInlinePolicy(x.on(), x.policyName()),
                    () -> iam.inlinePolicy(x.on(), x.policyName()).isEmpty(),
                    "deleted the inline policy " + x.policyName() + " of " + x.on() + " (document in the backup)");
        }
        if (a instanceof RemediationAction.RestoreDefaultVersion x) {
            if (x.policyArn().contains(":aws:policy/")) {
                throw new Noop(x.policyArn() + " is AWS managed: its versions are not ours to change");
            }
            String current = iam.defaultVersion(x.policyArn()).orElseThrow(() -> new Noop(x.policyArn() + " no longer exists"));
            if (!current.equals(x.riskyVersionId())) {
                throw new Noop("the default version of " + x.policyArn() + " is " + current + " now, not " + x.riskyVersionId());
            }
            // Only the version recorded as the last default that evaluated clean, never one that was never default.
            String previous = chosen.orElseThrow(() -> new IllegalStateException("no version chosen for " + x.policyArn()));
            return new Prepared(a, Map.of("policyArn", x.policyArn(), "riskyVersionId", x.riskyVersionId(),
                    "restoredVersionId", previous), () -> iam.setDefaultVersion(x.policyArn(), previous),
                    () -> iam.defaultVersion(x.policyArn()).orElse("").equals(previous),
                    "set version " + previous + " of " + x.policyArn() + " back as default (" + x.riskyVersionId()
                            + " kept, not default, for review)");
        }
        if (a instanceof RemediationAction.RestoreTrustPolicy x) {
            String current = iam.trustPolicy(x.roleName()).orElseThrow(() -> new Noop("role " + x.roleName() + " no longer exists"));
            String good = chosen.orElseThrow(() -> new IllegalStateException("no trust policy chosen for role " + x.roleName()));
            if (NodeReader.sameDocument(current, good)) {
                throw new Noop("role " + x.roleName() + " already has its last known good trust policy");
            }
            return new Prepared(a, Map.of("roleName", x.roleName(), "document", current, "restoredDocument", good),
                    () -> iam.updateTrustPolicy(x.roleName(), good),
                    () -> iam.trustPolicy(x.roleName()).map(t -> NodeReader.sameDocument(t, good)).orElse(false),
                    "restored the last known good trust policy of role " + x.roleName() + " (the risky one is in the backup)");
        }
        if (a instanceof RemediationAction.DeactivateAccessKey x) {
            String status = iam.accessKeyStatus(x.userName(), x.accessKeyId())
                    .orElseThrow(() -> new Noop("access key " + x.accessKeyId() + " of user " + x.userName() + " no longer exists"));
            if (!status.equals("Active")) {
                throw new Noop("access key " + x.accessKeyId() + " is already " + status);
            }
            return new Prepared(a, Map.of("userName", x.userName(), "accessKeyId", x.accessKeyId(), "status", status),
                    () -> iam.setAccessKeyStatus(x.userName(), x.accessKeyId(), "Inactive"),
                    () -> iam.accessKeyStatus(x.userName(), x.accessKeyId()).orElse("").equals("Inactive"),
                    "deactivated access key " + x.accessKeyId() + " of user " + x.userName() + " (not deleted)");
        }
        if (a instanceof RemediationAction.RemoveFromGroup x) {
            PrincipalRef user = new PrincipalRef(PrincipalRef.Kind.USER, x.userName());
            requirePrincipal(user);
            if (!iam.groupsForUser(x.userName()).contains(x.groupName())) {
                throw new Noop("user " + x.userName() + " is no longer in group " + x.groupName());
            }
            return new Prepared(a, Map.of("userName", x.userName(), "groupName", x.groupName()),
                    () -> iam.removeUserFromGroup(x.userName(), x.groupName()),
                    () -> !iam.groupsForUser(x.userName()).contains(x.groupName()),
                    "removed user " + x.userName() + " from group " + x.groupName());
        }
        if (a instanceof RemediationAction.RestoreBoundary x) {
            IamPort.Principal principal = iam.principal(x.on()).orElseThrow(() -> new Noop(x.on() + " no longer exists"));
            if (iam.boundary(x.on()).isPresent()) {
                throw new Noop(x.on() + " has a permissions boundary again");
            }
            String good = snapshots.boundary(principal).orElseThrow(() -> new Noop("no last known permissions boundary of "
                    + x.on() + " is recorded: nothing to put back"));
            return new Prepared(a, values(x.on(), "boundaryArn", good), () -> iam.putBoundary(x.on(), good),
                    () -> iam.boundary(x.on()).orElse("").equals(good), "put the permissions boundary " + good + " of " + x.on() + " back");
        }
        if (a instanceof RemediationAction.Quarantine x) {
            requirePrincipal(x.on());
            boolean attached = iam.attachedPolicies(x.on()).contains(x.quarantinePolicyArn());
            if (attached) {
                throw new Noop(x.on() + " is already quarantined");
            }
            // Before every attach: a quarantine policy someone rewrote would quarantine nothing and report DONE.
            Optional<String> tampered = QuarantineDocument.problem(iam.defaultDocument(x.quarantinePolicyArn()));
            if (tampered.isPresent()) {
                throw new Refused("the quarantine policy " + x.quarantinePolicyArn() + " was tampered with ("
                        + tampered.get() + "): not attached; redeploy the stack to restore it, then quarantine "
                        + x.on() + " by hand");
            }
            boolean taggable = x.on().kind() != PrincipalRef.Kind.GROUP;
            return new Prepared(a, values(x.on(), "policyArn", x.quarantinePolicyArn(), "tagKey",
                    RemediationAction.Quarantine.TAG, "tagValue", eventId), () -> {
                iam.attachPolicy(x.on(), x.quarantinePolicyArn());
                if (taggable) {
                    iam.tag(x.on(), RemediationAction.Quarantine.TAG, eventId);
                }
            }, () -> iam.attachedPolicies(x.on()).contains(x.quarantinePolicyArn())
                    && (!taggable || iam.tag(x.on(), RemediationAction.Quarantine.TAG).orElse("").equals(eventId)),
                    "quarantined " + x.on() + ": attached " + x.quarantinePolicyArn()
                            + (taggable ? ", tagged " + RemediationAction.Quarantine.TAG + "=" + eventId : ""));
        }
        throw new IllegalStateException("no executor step for " + a.kind());
    }

    void requirePrincipal(PrincipalRef ref) throws Noop {
        if (iam.principal(ref).isEmpty()) {
            throw new Noop(ref + " no longer exists");
        }
    }

    static Map<String, String> values(PrincipalRef ref, String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("principalKind", ref.kind().name());
        m.put("principalName", ref.name());
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

}
