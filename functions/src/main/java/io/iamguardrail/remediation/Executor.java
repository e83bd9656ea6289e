package io.iamguardrail.remediation;

import io.iamguardrail.change.ChangeDecoder;
import io.iamguardrail.change.IamChange;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.state.PrincipalRef;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * REMEDIATE mode: the loop around each planned action's lifecycle ({@link RemediationAction}), keeping every safety
 * step in this order — the event's gate (recent, confirmed by CloudTrail), safety rails on the live principal, the
 * action resolves what it would write back, judged first (a restore that would alert becomes a quarantine), the action
 * prepares itself (is the problem still there? if not: NOOP), rate guard (over the budget: deferred), back up, write
 * down what is about to be done, act, verify, and judge the principal again: DONE only when it no longer alerts,
 * PARTIAL with what remains otherwise.
 */
public final class Executor implements Remediator {

    public static final String JAR = "java -jar functions/target/iam-guardrail.jar";
    /** A risky policy version attached to more principals than this is quarantined on the first ones only. */
    static final int MAX_POLICY_ENTITIES = 10;

    private final Planner planner;
    private final IamPort iam;
    private final BackupStore backups;
    private final SnapshotStore snapshots;
    private final RateGuard rate;
    private final Clock clock;
    private final Assessor assessor;
    private final EventGate gate;
    private final Lifecycle.Context context;

    public Executor(Planner planner, IamPort iam, BackupStore backups, SnapshotStore snapshots, RateGuard rate,
                    Clock clock, Assessor assessor, EventGate gate) {
        this.planner = planner;
        this.iam = iam;
        this.backups = backups;
        this.snapshots = snapshots;
        this.rate = rate;
        this.clock = clock;
        this.assessor = assessor;
        this.gate = gate;
        this.context = new Lifecycle.Context(iam, snapshots, assessor);
    }

    /** An action ready to run, with what it writes back ({@code chosen}) and the principals it leaves to be judged. */
    private record Ready(Lifecycle.Prepared prepared, List<PrincipalRef> judged) {
    }

    @Override
    public RemediationReport remediate(Decision d, Journal journal) {
        String mode = GuardrailConfig.Mode.REMEDIATE.name();
        Plan plan = planner.plan(d);
        if (plan.actions().isEmpty()) {
            String reason = plan.reason().orElse("nothing to remediate");
            return plan.skipped() ? RemediationReport.skipped(mode, reason) : RemediationReport.none(mode, reason);
        }
        EventGate.Answer admitted = d.event().map(gate::check).orElse(new EventGate.Refuse("no event"));
        if (admitted instanceof EventGate.Refuse r) {
            return RemediationReport.skipped(mode, r.why() + ": alert only");
        }
        if (admitted instanceof EventGate.Defer r) {
            return new RemediationReport(mode, RemediationReport.Status.DEFERRED, "remediation deferred: " + r.why(),
                    List.of(), Optional.empty(), Optional.empty(), List.of(), Optional.of(r.why()));
        }
        Severity worst = d.findings().stream().filter(f -> plan.ruleIds().contains(f.ruleId())).map(Finding::severity)
                .min(Enum::compareTo).orElse(Severity.CRITICAL);
        return execute(plan, d.eventId(), worst, journal);
    }

    /** Carries out a plan a test builds, as for a CRITICAL finding. */
    public RemediationReport execute(Plan plan, String eventId) {
        return execute(plan, eventId, Severity.CRITICAL, Journal.NONE);
    }

    /** Carries out a plan for one event (the planner's answer, or a plan a test builds). */
    public RemediationReport execute(Plan plan, String eventId, Severity severity, Journal journal) {
        String mode = GuardrailConfig.Mode.REMEDIATE.name();
        List<RemediationReport.ActionReport> reports = new ArrayList<>();
        List<Ready> ready = new ArrayList<>();
        for (RemediationAction planned : plan.actions()) {
            for (Resolved r : resolve(planned, reports)) {
                RemediationAction a = r.action();
                try {
                    Optional<String> refused = liveRails(a, plan);
                    if (refused.isPresent()) {
                        reports.add(report(a, RemediationReport.Status.SKIPPED, refused.get()));
                        continue;
                    }
                    ready.add(new Ready(a.prepare(context, eventId, r.chosen()), r.judged()));
                } catch (Lifecycle.Noop noop) {
                    reports.add(report(a, RemediationReport.Status.NOOP, noop.getMessage()));
                } catch (Lifecycle.Refused refused) {
                    reports.add(report(a, RemediationReport.Status.FAILED, refused.getMessage()));
                } catch (RuntimeException e) {
                    reports.add(report(a, RemediationReport.Status.FAILED, "could not read the current state: " + message(e)));
                }
            }
        }
        if (ready.isEmpty()) {
            return summarise(mode, reports, Optional.empty(), List.of(), Optional.empty(), List.of());
        }
        if (!rate.tryAcquire(severity)) {
            String reason = "rate guard: this minute's share of " + rate.limit() + " remediations for " + severity
                    + " findings is spent; deferred, and retried on the event's next delivery";
            for (Ready r : ready) {
                reports.add(report(r.prepared().action(), RemediationReport.Status.DEFERRED, "not done yet: " + reason));
            }
            return new RemediationReport(mode, RemediationReport.Status.DEFERRED, "remediation deferred: " + reason,
                    reports, Optional.empty(), Optional.empty(), List.of(), Optional.of(reason));
        }
        String backupId;
        try {
            backupId = backups.nextId(eventId);
            List<Backup.Entry> entries = ready.stream().map(Ready::prepared)
                    .map(p -> new Backup.Entry(p.action().kind(), p.action().target(), p.backup())).toList();
            backups.save(new Backup(backupId, eventId, clock.instant().toString(), entries));
        } catch (RuntimeException e) {
            // No backup, no action: nothing was touched.
            for (Ready r : ready) {
                reports.add(report(r.prepared().action(), RemediationReport.Status.FAILED,
                        "not done: the backup could not be written (" + message(e) + ")"));
            }
            return summarise(mode, reports, Optional.empty(), List.of(), Optional.of("backup failed: " + message(e)), List.of());
        }
        journal.acting(new RemediationReport(mode, RemediationReport.Status.IN_PROGRESS, "acting: " + String.join("; ",
                ready.stream().map(r -> r.prepared().action().describe()).toList()), reports, Optional.of(backupId),
                Optional.empty(), List.of(), Optional.empty()));
        List<String> undo = new ArrayList<>();
        Set<PrincipalRef> toJudge = new LinkedHashSet<>();
        Set<PrincipalRef> quarantined = new LinkedHashSet<>();
        for (Ready r : ready) {
            Lifecycle.Prepared p = r.prepared();
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
            toJudge.addAll(r.judged());
            if (p.action() instanceof Quarantine q) {
                quarantined.add(q.on());
            }
        }
        List<String> remaining = new ArrayList<>();
        for (PrincipalRef ref : toJudge) {
            Assessor.Candidate c = quarantined.contains(ref) ? new Assessor.PermissionsOnly() : new Assessor.AsIs();
            try {
                assessor.risks(ref, c).forEach(risk -> remaining.add(ref + ": " + risk));
            } catch (RuntimeException e) {
                remaining.add(ref + ": could not be judged after acting (" + message(e) + ")");
            }
        }
        return summarise(mode, reports, Optional.of(backupId), undo, Optional.empty(), remaining);
    }

    /** A planned action as it will run, with what it writes back and who is judged afterwards. */
    private record Resolved(RemediationAction action, Optional<String> chosen, List<PrincipalRef> judged) {
    }

    /**
     * The action resolves what it would write back, judged for every principal it applies to before anything is
     * written; when it is unknown, rejected or would alert, the principals are quarantined instead, and the report
     * says why.
     */
    private List<Resolved> resolve(RemediationAction a, List<RemediationReport.ActionReport> reports) {
        Lifecycle.Resolution resolution;
        try {
            resolution = a.resolve(context);
        } catch (RuntimeException e) {
            reports.add(report(a, RemediationReport.Status.FAILED, "not done: what it would write back could not be"
                    + " judged (" + message(e) + ")"));
            return List.of();
        }
        if (resolution instanceof Lifecycle.QuarantineInstead q) {
            return quarantine(q.principals(), a, q.why(), reports);
        }
        if (resolution instanceof Lifecycle.Gone g) {
            reports.add(report(a, RemediationReport.Status.NOOP, g.why()));
            return List.of();
        }
        Lifecycle.Proceed p = (Lifecycle.Proceed) resolution;
        return List.of(new Resolved(a, p.chosen(), p.judged()));
    }

    private List<Resolved> quarantine(List<PrincipalRef> principals, RemediationAction instead, String why,
                                      List<RemediationReport.ActionReport> reports) {
        Optional<String> policy = planner.config().remediation().quarantinePolicyArn();
        if (policy.isEmpty()) {
            reports.add(report(instead, RemediationReport.Status.FAILED, why + ", and no quarantine policy is"
                    + " configured: nothing could be done"));
            return List.of();
        }
        if (principals.isEmpty()) {
            reports.add(report(instead, RemediationReport.Status.NOOP, why + "; attached to no principal, so nobody"
                    + " holds it: left for review"));
            return List.of();
        }
        List<Resolved> out = new ArrayList<>();
        for (PrincipalRef p : principals.subList(0, Math.min(principals.size(), MAX_POLICY_ENTITIES))) {
            out.add(new Resolved(new Quarantine(p, policy.get()), Optional.empty(), List.of(p)));
        }
        reports.add(report(instead, RemediationReport.Status.SKIPPED, why + ": quarantined instead"));
        if (principals.size() > MAX_POLICY_ENTITIES) {
            reports.add(report(instead, RemediationReport.Status.FAILED, "attached to more than " + MAX_POLICY_ENTITIES
                    + " principals: only the first " + MAX_POLICY_ENTITIES + " were quarantined, detach it by hand"));
        }
        return out;
    }

    /**
     * A clean decision: the state it was judged on becomes last known good, but only the state IAM has now and
     * judges clean, only from an event the gate admits (recent, confirmed), and only for the changes that set it.
     */
    @Override
    public void observe(Decision d) {
        if (d.event().isEmpty() || d.findings().stream()
                .anyMatch(f -> f.severity().atLeast(planner.config().alertThreshold()))) {
            return;
        }
        CloudTrailEvent e = d.event().get();
        IamChange change = ChangeDecoder.decode(e);
        Undo.Snapshot kind = Undo.snapshot(change);
        // What is recorded is IAM's state, read now and judged clean, never the event's copy: the event only says
        // when to look. So an event of this account within the age bound suffices; CloudTrail's history lags by
        // minutes, and waiting for it would leave nothing recorded for most changes.
        if (kind == Undo.Snapshot.NONE || gate.tooOld(e).isPresent()) {
            return;
        }
        if (kind == Undo.Snapshot.POLICY_VERSION) {
            recordCleanVersion(e);
            return;
        }
        Optional<PrincipalRef> ref = Undo.principal(change);
        if (ref.isEmpty() || ref.get().kind() == PrincipalRef.Kind.GROUP) {
            return;
        }
        Optional<IamPort.Principal> principal = iam.principal(ref.get());
        if (principal.isEmpty() || !assessor.risks(ref.get(), new Assessor.AsIs()).isEmpty()) {
            return;
        }
        if (ref.get().kind() == PrincipalRef.Kind.ROLE) {
            iam.trustPolicy(ref.get().name()).ifPresent(t -> snapshots.recordTrustPolicy(principal.get(), t));
        }
        iam.boundary(ref.get()).ifPresent(b -> snapshots.recordBoundary(principal.get(), b));
    }

    /** The default version a clean decision judged, when it is still the default: the one a restore may go back to. */
    private void recordCleanVersion(CloudTrailEvent e) {
        Optional<String> arn = e.request("policyArn").or(() -> e.response("policy", "arn"));
        Optional<String> judged = e.request("versionId").or(() -> e.response("policyVersion", "versionId"))
                .or(() -> e.response("policy", "defaultVersionId"));
        if (arn.isEmpty() || judged.isEmpty() || arn.get().contains(":aws:policy/")) {
            return;
        }
        Optional<String> policyId = iam.policyId(arn.get());
        if (policyId.isPresent() && iam.defaultVersion(arn.get()).filter(judged.get()::equals).isPresent()) {
            snapshots.recordCleanDefaultVersion(arn.get(), policyId.get(), judged.get());
        }
    }

    /** The rails again, now with the principal as IAM has it (its path tells a service-linked role). */
    private Optional<String> liveRails(RemediationAction a, Plan plan) {
        Optional<IamPort.Principal> live = a.principal().flatMap(iam::principal);
        SafetyRails.Facts facts = new SafetyRails.Facts(live.map(IamPort.Principal::arn).or(plan::principalArn),
                live.map(IamPort.Principal::path), plan.ruleIds(), LocalDate.now(clock));
        return planner.rails().check(a, facts);
    }

    private RemediationReport summarise(String mode, List<RemediationReport.ActionReport> reports, Optional<String> backupId,
                                        List<String> undo, Optional<String> reason, List<String> remaining) {
        long done = reports.stream().filter(r -> r.status() == RemediationReport.Status.DONE).count();
        long failed = reports.stream().filter(r -> r.status() == RemediationReport.Status.FAILED).count();
        long skipped = reports.stream().filter(r -> r.status() == RemediationReport.Status.SKIPPED).count();
        RemediationReport.Status status = failed > 0 || (done > 0 && !remaining.isEmpty())
                ? (done > 0 ? RemediationReport.Status.PARTIAL : RemediationReport.Status.FAILED)
                : done > 0 ? RemediationReport.Status.DONE : skipped > 0 ? RemediationReport.Status.SKIPPED
                : RemediationReport.Status.NOOP;
        String summary = String.join("; ", reports.stream().map(r -> r.status() + ": " + r.detail()).toList());
        if (done > 0 && !remaining.isEmpty()) {
            summary += "; still at or above " + planner.config().alertThreshold() + " after acting: "
                    + String.join("; ", remaining);
        }
        Optional<String> undoCommand = backupId.filter(id -> done > 0)
                .map(id -> JAR + " " + ShellQuote.command(restoreWords(id)));
        Optional<String> why = reason.or(() -> status == RemediationReport.Status.SKIPPED
                ? reports.stream().map(RemediationReport.ActionReport::detail).findFirst() : Optional.empty());
        return new RemediationReport(mode, status, summary, reports, backupId.filter(id -> done > 0 || failed > 0),
                undoCommand, undo, why);
    }

    /** {@code restore ID --backup-bucket B}: the event id in the backup id is the event's, so it is quoted too. */
    private List<String> restoreWords(String backupId) {
        List<String> words = new ArrayList<>(List.of("restore", backupId));
        words.addAll(backups.cliArguments());
        return words;
    }

    private static RemediationReport.ActionReport report(RemediationAction a, RemediationReport.Status s, String detail) {
        return new RemediationReport.ActionReport(a.kind(), a.target(), s, detail);
    }

    static String message(RuntimeException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + Planner.firstLine(e.getMessage()));
    }
}
