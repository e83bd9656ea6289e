package io.iamguardrail.remediation;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.pipeline.Decision;
import io.iamguardrail.state.PrincipalRef;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * REMEDIATE mode: for each planned action, in this order — safety rails on the live principal, re-read (is the
 * problem still there? if not: NOOP), rate guard, back up, act, re-read to verify — and a report of DONE, PARTIAL,
 * FAILED or NOOP with the backup id and the exact undo. A redelivered event finds the problem gone: NOOP.
 */
public final class Executor implements Remediator {

    public static final String JAR = "java -jar functions/target/iam-guardrail.jar";

    private final Planner planner;
    private final IamPort iam;
    private final BackupStore backups;
    private final SnapshotStore snapshots;
    private final RateGuard rate;
    private final Clock clock;

    public Executor(Planner planner, IamPort iam, BackupStore backups, SnapshotStore snapshots, RateGuard rate, Clock clock) {
        this.planner = planner;
        this.iam = iam;
        this.backups = backups;
        this.snapshots = snapshots;
        this.rate = rate;
        this.clock = clock;
    }

    /** One action, re-read and ready: what to back up, how to act and how to verify. */
    private record Prepared(RemediationAction action, Map<String, String> backup, Runnable act, BooleanSupplier verify,
                            String detail) {
    }

    private static final class Noop extends Exception {
        Noop(String message) {
            super(message);
        }
    }

    @Override
    public RemediationReport remediate(Decision d) {
        String mode = GuardrailConfig.Mode.REMEDIATE.name();
        Plan plan = planner.plan(d);
        if (plan.actions().isEmpty()) {
            String reason = plan.reason().orElse("nothing to remediate");
            return plan.skipped() ? RemediationReport.skipped(mode, reason) : RemediationReport.none(mode, reason);
        }
        return execute(plan, d.eventId());
    }

    /** Carries out a plan for one event (the planner's answer, or a plan a test builds). */
    public RemediationReport execute(Plan plan, String eventId) {
        String mode = GuardrailConfig.Mode.REMEDIATE.name();
        List<RemediationReport.ActionReport> reports = new ArrayList<>();
        List<Prepared> ready = new ArrayList<>();
        for (RemediationAction planned : plan.actions()) {
            RemediationAction a = planned;
            try {
                Optional<String> refused = liveRails(a, plan);
                if (refused.isPresent()) {
                    reports.add(report(a, RemediationReport.Status.SKIPPED, refused.get()));
                    continue;
                }
                if (a instanceof RemediationAction.RestoreTrustPolicy t && iam.principal(t.principal().orElseThrow())
                        .flatMap(snapshots::trustPolicy).isEmpty()) {
                    Optional<String> q = planner.config().remediation().quarantinePolicyArn();
                    if (q.isEmpty()) {
                        reports.add(report(a, RemediationReport.Status.FAILED, "no last known good trust policy of role "
                                + t.roleName() + " and no quarantine policy configured: nothing could be done"));
                        continue;
                    }
                    a = new RemediationAction.Quarantine(a.principal().orElseThrow(), q.get());
                }
                ready.add(prepare(a, eventId));
            } catch (Noop noop) {
                reports.add(report(a, RemediationReport.Status.NOOP, noop.getMessage()));
            } catch (RuntimeException e) {
                reports.add(report(a, RemediationReport.Status.FAILED, "could not read the current state: " + message(e)));
            }
        }
        if (ready.isEmpty()) {
            return summarise(mode, reports, Optional.empty(), List.of(), Optional.empty());
        }
        if (!rate.tryAcquire()) {
            String reason = "rate guard: more than " + rate.limit() + " remediations in a minute, switched to alert-only";
            for (Prepared p : ready) {
                reports.add(report(p.action(), RemediationReport.Status.SKIPPED, "not done: " + reason));
            }
            return new RemediationReport(mode, RemediationReport.Status.SKIPPED, "remediation skipped: " + reason, reports,
                    Optional.empty(), Optional.empty(), List.of(), Optional.of(reason));
        }
        String backupId;
        try {
            backupId = backups.nextId(eventId);
            List<Backup.Entry> entries = ready.stream()
                    .map(p -> new Backup.Entry(p.action().kind(), p.action().target(), p.backup())).toList();
            backups.save(new Backup(backupId, eventId, clock.instant().toString(), entries));
        } catch (RuntimeException e) {
            // No backup, no action: nothing was touched.
            for (Prepared p : ready) {
                reports.add(report(p.action(), RemediationReport.Status.FAILED, "not done: the backup could not be written ("
                        + message(e) + ")"));
            }
            return summarise(mode, reports, Optional.empty(), List.of(), Optional.of("backup failed: " + message(e)));
        }
        List<String> undo = new ArrayList<>();
        for (Prepared p : ready) {
            try {
                p.act().run();
            } catch (RuntimeException e) {
                reports.add(report(p.action(), RemediationReport.Status.FAILED, "the call failed: " + message(e)));
                continue;
            }
            boolean verified;
            try {
                verified = p.verify().getAsBoolean();
            } catch (RuntimeException e) {
                verified = false;
            }
            undo.addAll(p.action().undoCommands());
            reports.add(report(p.action(), verified ? RemediationReport.Status.DONE : RemediationReport.Status.FAILED,
                    verified ? p.detail() : p.detail() + ", but the re-read does not show it: check by hand"));
        }
        return summarise(mode, reports, Optional.of(backupId), undo, Optional.empty());
    }

    /**
     * A clean decision about a role or user: its trust policy and boundary as IAM has them now are the last known
     * good ones (read right after the evaluation; a change in between would be evaluated on its own event).
     */
    @Override
    public void observe(Decision d) {
        if (d.event().isEmpty() || !io.iamguardrail.pipeline.EventEvaluator.HANDLED.contains(d.eventName())
                || d.findings().stream()
                .anyMatch(f -> f.severity().atLeast(planner.config().alertThreshold()))) {
            return;
        }
        Optional<PrincipalRef> ref = Planner.ref(d.event().get());
        if (ref.isEmpty() || ref.get().kind() == PrincipalRef.Kind.GROUP) {
            return;
        }
        Optional<IamPort.Principal> principal = iam.principal(ref.get());
        if (principal.isEmpty()) {
            return;
        }
        if (ref.get().kind() == PrincipalRef.Kind.ROLE) {
            iam.trustPolicy(ref.get().name()).ifPresent(t -> snapshots.recordTrustPolicy(principal.get(), t));
        }
        iam.boundary(ref.get()).ifPresent(b -> snapshots.recordBoundary(principal.get(), b));
    }

    /** The rails again, now with the principal as IAM has it (its path tells a service-linked role). */
    private Optional<String> liveRails(RemediationAction a, Plan plan) {
        Optional<IamPort.Principal> live = a.principal().flatMap(iam::principal);
        SafetyRails.Facts facts = new SafetyRails.Facts(live.map(IamPort.Principal::arn).or(plan::principalArn),
                live.map(IamPort.Principal::path), plan.ruleIds(), LocalDate.now(clock));
        return planner.rails().check(a, facts);
    }

    private Prepared prepare(RemediationAction a, String eventId) throws Noop {
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
            // The previous default is not in the event: the newest other version is the one it replaced.
            String previous = iam.versions(x.policyArn()).stream().filter(v -> !v.equals(x.riskyVersionId())).findFirst()
                    .orElseThrow(() -> new Noop(x.policyArn() + " has no other version to go back to"));
            return new Prepared(a, Map.of("policyArn", x.policyArn(), "riskyVersionId", x.riskyVersionId(),
                    "restoredVersionId", previous), () -> iam.setDefaultVersion(x.policyArn(), previous),
                    () -> iam.defaultVersion(x.policyArn()).orElse("").equals(previous),
                    "set version " + previous + " of " + x.policyArn() + " back as default (" + x.riskyVersionId()
                            + " kept, not default, for review)");
        }
        if (a instanceof RemediationAction.RestoreTrustPolicy x) {
            String current = iam.trustPolicy(x.roleName()).orElseThrow(() -> new Noop("role " + x.roleName() + " no longer exists"));
            String good = iam.principal(x.principal().orElseThrow()).flatMap(snapshots::trustPolicy).orElseThrow(
                    () -> new Noop("no last known good trust policy of role " + x.roleName() + " is recorded"));
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

    private void requirePrincipal(PrincipalRef ref) throws Noop {
        if (iam.principal(ref).isEmpty()) {
            throw new Noop(ref + " no longer exists");
        }
    }

    private static Map<String, String> values(PrincipalRef ref, String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("principalKind", ref.kind().name());
        m.put("principalName", ref.name());
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private RemediationReport summarise(String mode, List<RemediationReport.ActionReport> reports, Optional<String> backupId,
                                        List<String> undo, Optional<String> reason) {
        long done = reports.stream().filter(r -> r.status() == RemediationReport.Status.DONE).count();
        long failed = reports.stream().filter(r -> r.status() == RemediationReport.Status.FAILED).count();
        long skipped = reports.stream().filter(r -> r.status() == RemediationReport.Status.SKIPPED).count();
        RemediationReport.Status status = failed > 0 ? (done > 0 ? RemediationReport.Status.PARTIAL : RemediationReport.Status.FAILED)
                : done > 0 ? RemediationReport.Status.DONE : skipped > 0 ? RemediationReport.Status.SKIPPED
                : RemediationReport.Status.NOOP;
        String summary = String.join("; ", reports.stream().map(r -> r.status() + ": " + r.detail()).toList());
        Optional<String> undoCommand = backupId.filter(id -> done > 0)
                .map(id -> JAR + " restore " + id + " " + String.join(" ", backups.cliArguments()));
        Optional<String> why = reason.or(() -> status == RemediationReport.Status.SKIPPED
                ? reports.stream().map(RemediationReport.ActionReport::detail).findFirst() : Optional.empty());
        return new RemediationReport(mode, status, summary, reports, backupId.filter(id -> done > 0 || failed > 0),
                undoCommand, undo, why);
    }

    private static RemediationReport.ActionReport report(RemediationAction a, RemediationReport.Status s, String detail) {
        return new RemediationReport.ActionReport(a.kind(), a.target(), s, detail);
    }

    private static String message(RuntimeException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + Planner.firstLine(e.getMessage()));
    }
}
