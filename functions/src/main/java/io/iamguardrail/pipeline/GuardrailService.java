package io.iamguardrail.pipeline;

import io.iamguardrail.change.ChangeDecoder;
import io.iamguardrail.change.EventKind;
import io.iamguardrail.change.IamChange;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.remediation.PlanOnly;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.remediation.RemediationReport;
import io.iamguardrail.remediation.Remediator;
import io.iamguardrail.state.BatchReads;
import io.iamguardrail.state.PrincipalRef;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The use case the Lambda handler and {@code replay} share: decode, bind to this account, evaluate, claim, remediate,
 * publish, record. A malformed event is an ERROR decision (the handler fails the invocation so it reaches the
 * dead-letter queue); a failed publish gives the event id back and rethrows, so the retry can publish. An outcome
 * with a {@code retry} reason asks the handler to fail the invocation, so that Lambda delivers the event again.
 */
public final class GuardrailService implements Guardrail {

    /**
     * What happened to one event; {@code retry}: why this delivery must fail so that Lambda tries again;
     * {@code held}: its alert waits for the end of the batch ({@link #endBatch()}), which says how it went.
     */
    public record Outcome(Decision decision, Optional<Alert> alert, Optional<String> messageId,
                          Optional<RemediationReport> remediation, Optional<String> retry, boolean held) {
        public Outcome(Decision decision, Optional<Alert> alert, Optional<String> messageId) {
            this(decision, alert, messageId, Optional.empty(), Optional.empty());
        }

        public Outcome(Decision decision, Optional<Alert> alert, Optional<String> messageId,
                       Optional<RemediationReport> remediation, Optional<String> retry) {
            this(decision, alert, messageId, remediation, retry, false);
        }
    }

    private final EventEvaluator evaluator;
    private final AlertPublisher publisher;
    private final EventLedger ledger;
    private final DecisionLog log;
    private final LongSupplier lookups;
    private final Remediator remediator;
    private final AlertedFindings alerted;
    /** The organization's name of the account this service guards, which its alerts carry (a hub's members). */
    private final Optional<String> accountName;
    /**
     * What the evaluator read: told a batch's principals before its first event, forgotten between events outside a
     * batch, between batches, and after any IAM write.
     */
    private final BatchReads reads;
    private final HeldAlerts held = new HeldAlerts();
    /** What the batch published before its end. */
    private BatchEnd publishedEarly = BatchEnd.NONE;
    private boolean inBatch;

    /** Without the means to act: the alert says what REMEDIATE mode would do. */
    public GuardrailService(EventEvaluator evaluator, AlertPublisher publisher, EventLedger ledger, DecisionLog log,
                            LongSupplier lookups) {
        this(evaluator, publisher, ledger, log, lookups, planOnly(evaluator), AlertedFindings.NONE);
    }

    public GuardrailService(EventEvaluator evaluator, AlertPublisher publisher, EventLedger ledger, DecisionLog log,
                            LongSupplier lookups, Remediator remediator) {
        this(evaluator, publisher, ledger, log, lookups, remediator, AlertedFindings.NONE);
    }

    /** With {@code alerted}: what was alerted is recorded for the weekly audit, after the publish. */
    public GuardrailService(EventEvaluator evaluator, AlertPublisher publisher, EventLedger ledger, DecisionLog log,
                            LongSupplier lookups, AlertedFindings alerted) {
        this(evaluator, publisher, ledger, log, lookups, planOnly(evaluator), alerted);
    }

    public GuardrailService(EventEvaluator evaluator, AlertPublisher publisher, EventLedger ledger, DecisionLog log,
                            LongSupplier lookups, Remediator remediator, AlertedFindings alerted) {
        this(evaluator, publisher, ledger, log, lookups, remediator, alerted, Optional.empty());
    }

    /** With the name of the account it guards: a hub's service of one member account. */
    public GuardrailService(EventEvaluator evaluator, AlertPublisher publisher, EventLedger ledger, DecisionLog log,
                            LongSupplier lookups, Remediator remediator, AlertedFindings alerted,
                            Optional<String> accountName) {
        this(evaluator, publisher, ledger, log, lookups, remediator, alerted, accountName, BatchReads.NONE);
    }

    /** With {@code reads}: the evaluator reads through a per-batch memory ({@code state/ReadOnce}). */
    public GuardrailService(EventEvaluator evaluator, AlertPublisher publisher, EventLedger ledger, DecisionLog log,
                            LongSupplier lookups, Remediator remediator, AlertedFindings alerted,
                            Optional<String> accountName, BatchReads reads) {
        this.reads = reads;
        this.accountName = accountName;
        this.remediator = remediator;
        this.alerted = alerted;
        this.evaluator = evaluator;
        this.publisher = publisher;
        this.ledger = ledger;
        this.log = log;
        this.lookups = lookups;
    }

    private static Remediator planOnly(EventEvaluator evaluator) {
        return new PlanOnly(new Planner(evaluator.config(), Clock.systemUTC()), Optional.of("no backup store configured"));
    }

    @Override
    public GuardrailConfig config() {
        return evaluator.config();
    }

    /** A run outside Lambda (the CLI, tests): no account binding. */
    public Outcome process(byte[] input, String source) {
        return process(input, Invocation.local(source));
    }

    /**
     * Starts a batch: the principals its events of this account change are read, together where IAM can, before the
     * first event (an event of another account is refused later, and reads nothing).
     */
    @Override
    public void beginBatch(List<EventDecoder.Decoded> events, Invocation invocation) {
        reads.forget();
        inBatch = true;
        publishedEarly = BatchEnd.NONE;
        held.expect(events);
        evaluator.batch(events.stream().flatMap(d -> d.event().stream()).filter(e -> foreignAccount(e, invocation)
                .isEmpty()).toList());
        Set<PrincipalRef> principals = new HashSet<>();
        for (EventDecoder.Decoded decoded : events) {
            // Only what an event judges is worth reading ahead: a deleted role is never found, and would make the
            // listing read every page.
            decoded.event().filter(e -> foreignAccount(e, invocation).isEmpty()).map(ChangeDecoder::decode)
                    .filter(c -> c.kind().map(EventKind::handling).filter(h -> h == EventKind.Handling.EVALUATED
                            || h == EventKind.Handling.WATCHED).isPresent())
                    .flatMap(IamChange::principal).ifPresent(principals::add);
        }
        reads.expect(principals);
    }

    /** Publishes the batch's held alerts, one per principal, and forgets what the batch read. */
    @Override
    public BatchEnd endBatch() {
        try {
            return publishedEarly.and(held.publish(publisher, ledger, alerted, log, accountName));
        } finally {
            reads.forget();
            inBatch = false;
            publishedEarly = BatchEnd.NONE;
            evaluator.batch(List.of());
        }
    }

    @Override
    public Outcome process(EventDecoder.Decoded decoded, Invocation invocation) {
        if (!inBatch) {
            reads.forget();
        }
        Outcome outcome;
        try {
            outcome = judge(decoded, invocation);
        } finally {
            // The batch's last event of a principal is judged: its alert goes out now, not at the batch's end, so that
            // a batch cut short by the function's timeout loses none of the alerts already due.
            decoded.event().filter(e -> inBatch).flatMap(held::judged).ifPresent(key -> publishedEarly = publishedEarly
                    .and(held.publish(key, publisher, ledger, alerted, log, accountName)));
        }
        if (outcome.remediation().filter(RemediationReport::mayHaveChangedIam).isPresent()) {
            // IAM changed under the batch: the events after this one read it again.
            reads.forget();
        }
        return outcome;
    }

    private Outcome judge(EventDecoder.Decoded decoded, Invocation invocation) {
        long before = lookups.getAsLong();
        if (decoded.event().isEmpty()) {
            Decision d = Decision.error("unknown", "unknown", "malformed event: " + decoded.error().orElse("?"));
            log.record(d, invocation.requestId(), 0, Optional.empty());
            return new Outcome(d, Optional.empty(), Optional.empty());
        }
        CloudTrailEvent event = decoded.event().get();
        Optional<String> foreign = foreignAccount(event, invocation);
        if (foreign.isPresent()) {
            Decision d = Decision.skipped(event, foreign.get());
            log.record(d, invocation.requestId(), 0, Optional.empty());
            return new Outcome(d, Optional.empty(), Optional.empty());
        }
        Decision d;
        try {
            d = evaluator.evaluate(event);
        } catch (RuntimeException e) {
            d = Decision.error(event.eventId(), event.eventName(), "evaluation failed: " + e);
            log.record(d, invocation.requestId(), lookups.getAsLong() - before, Optional.empty());
            return new Outcome(d, Optional.empty(), Optional.empty());
        }
        if (d.verdict() == Verdict.NO_ALERT) {
            try {
                remediator.observe(d);
            } catch (RuntimeException e) {
                // Last-known-good snapshots are a convenience for later remediations, never a reason to fail.
                d = withNote(d, "last known good state not recorded (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (d.verdict() != Verdict.ALERT) {
            log.record(d, invocation.requestId(), lookups.getAsLong() - before, Optional.empty());
            return new Outcome(d, Optional.empty(), Optional.empty());
        }
        return alert(d, event, invocation, before);
    }

    /**
     * An event of another account is never acted on: anyone allowed to invoke the function could otherwise make it
     * change this account's principals of the same name. The own account comes from the runtime, never the event.
     */
    private static Optional<String> foreignAccount(CloudTrailEvent e, Invocation invocation) {
        if (invocation.ownAccount().isEmpty()) {
            return Optional.empty();
        }
        String own = invocation.ownAccount().get();
        Optional<String> envelope = e.account();
        boolean envelopeOk = envelope.map(own::equals).orElse(false);
        boolean recipientOk = e.recipientAccountId().map(own::equals).orElse(true);
        if (envelopeOk && recipientOk) {
            return Optional.empty();
        }
        return Optional.of("event of account `" + envelope.orElse("(none)") + "` (recipient `"
                + e.recipientAccountId().orElse("(none)") + "`), not this guardrail's account " + own
                + ": not trusted, nothing evaluated or changed");
    }

    private Outcome alert(Decision d, CloudTrailEvent event, Invocation invocation, long before) {
        EventLedger.Holder holder = new EventLedger.Holder(invocation.requestId(), invocation.leaseUntil());
        String key = ledgerKey(event);
        if (held.holds(key)) {
            // The ledger cannot tell: this invocation holds the claim. The held alert names the event once.
            Decision dup = Decision.skipped(event, "event already in this batch (duplicate delivery): alerted once");
            log.record(dup, invocation.requestId(), lookups.getAsLong() - before, Optional.empty());
            return new Outcome(dup, Optional.empty(), Optional.empty());
        }
        EventLedger.Claim claim;
        try {
            claim = ledger.claim(key, holder);
        } catch (RuntimeException e) {
            // The ledger is down: a duplicate alert is better than a lost one.
            claim = EventLedger.Claim.claimed(Optional.empty());
            d = withNote(d, "duplicate check unavailable (" + e.getClass().getSimpleName() + "): may be sent twice");
        }
        switch (claim.status()) {
            case DONE -> {
                Decision dup = Decision.skipped(event, "event already processed (duplicate delivery)");
                log.record(dup, invocation.requestId(), lookups.getAsLong() - before, Optional.empty());
                return new Outcome(dup, Optional.empty(), Optional.empty());
            }
            case HELD -> {
                String why = "another invocation (" + claim.heldBy().orElse("?") + ") is processing this event now:"
                        + " this delivery fails so that Lambda retries it";
                Decision held = Decision.skipped(event, why);
                log.record(held, invocation.requestId(), lookups.getAsLong() - before, Optional.empty());
                return new Outcome(held, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(why));
            }
            default -> {
            }
        }
        boolean alreadyAlerted = claim.status() == EventLedger.Claim.Status.DEFERRED;
        Optional<RemediationReport> stored = Optional.empty();
        if (claim.remediation().isPresent()) {
            try {
                stored = Optional.of(RemediationReport.fromJson(claim.remediation().get()));
            } catch (IllegalArgumentException unreadable) {
                // Taken as none: the remediation runs again, and finds NOOP wherever the earlier attempt had acted.
                d = withNote(d, "the report an earlier attempt of this event stored is unreadable ("
                        + unreadable.getMessage() + "): acted again");
            }
        }
        RemediationReport remediation;
        if (stored.isPresent() && !alreadyAlerted && stored.get().status() != RemediationReport.Status.IN_PROGRESS) {
            // An earlier attempt of this event acted and then failed to publish: say what it did, do not act again.
            remediation = stored.get();
            d = withNote(d, "remediation by an earlier attempt of this event, re-emitted");
        } else {
            if (stored.isPresent() && stored.get().status() == RemediationReport.Status.IN_PROGRESS) {
                d = withNote(d, "an earlier attempt was interrupted while acting"
                        + stored.get().backupId().map(id -> " (its backup: " + id + ")").orElse("") + ": acted again");
            }
            remediation = remediate(d, event);
        }
        if (remediation.failed()) {
            d = withNote(d, "automatic remediation " + remediation.status() + ": " + remediation.summary());
        }
        boolean deferred = remediation.status() == RemediationReport.Status.DEFERRED;
        if (alreadyAlerted && deferred) {
            // Still over the budget: the alert is out already; keep the event for a later delivery.
            deferLedger(event, remediation);
            log.record(d, invocation.requestId(), lookups.getAsLong() - before, Optional.of(remediation));
            return new Outcome(d, Optional.empty(), Optional.empty(), Optional.of(remediation),
                    Optional.of("remediation deferred again: " + remediation.summary()));
        }
        if (alreadyAlerted) {
            d = withNote(d, "follow-up: the remediation deferred when this event was first alerted has now run");
        }
        if (inBatch && !deferred && !alreadyAlerted && !remediation.mayHaveChangedIam() && !remediation.failed()
                && HeldAlerts.keyOf(event).isPresent()) {
            held.hold(new HeldAlerts.Held(d, event, key, holder, remediation, lookups.getAsLong() - before));
            return new Outcome(d, Optional.empty(), Optional.empty(), Optional.of(remediation), Optional.empty(), true);
        }
        Alert alert = AlertBuilder.build(d, remediation, accountName);
        String id;
        try {
            id = publisher.publish(alert);
        } catch (RuntimeException e) {
            try {
                ledger.release(key, holder);
            } catch (RuntimeException releaseFailed) {
                e.addSuppressed(releaseFailed); // the lease expires and a retry can still claim
            }
            throw e;
        }
        Optional<String> retry = Optional.empty();
        if (deferred) {
            deferLedger(event, remediation);
            retry = Optional.of("remediation deferred: " + remediation.summary());
        } else {
            try {
                ledger.complete(key);
            } catch (RuntimeException e) {
                d = withNote(d, "published, but not marked done (" + e.getClass().getSimpleName()
                        + "): a redelivery after the lease may publish again");
            }
        }
        try {
            alerted.record(d);
        } catch (RuntimeException e) {
            // The alert is out; the weekly audit will at worst call these findings new.
            d = withNote(d, "alerted findings not recorded for the audit (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        log.record(d, invocation.requestId(), lookups.getAsLong() - before, Optional.of(remediation));
        return new Outcome(d, Optional.of(alert), Optional.ofNullable(id), Optional.of(remediation), retry);
    }

    private RemediationReport remediate(Decision d, CloudTrailEvent event) {
        RemediationReport remediation;
        try {
            remediation = remediator.remediate(d, planned -> ledger.recordRemediation(ledgerKey(event), planned.toJson()));
        } catch (RuntimeException e) {
            // Never silent: a remediation that blew up is reported as failed in the alert.
            remediation = new RemediationReport(evaluator.config().mode().name(), RemediationReport.Status.FAILED,
                    "remediation failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), List.of(),
                    Optional.empty(), Optional.empty(), List.of(), Optional.of(String.valueOf(e.getMessage())));
        }
        if (remediation.status() != RemediationReport.Status.NONE) {
            try {
                ledger.recordRemediation(ledgerKey(event), remediation.toJson());
            } catch (RuntimeException e) {
                // The alert still carries the report; only a retry after a failed publish would not find it.
                remediation = remediation.withStatus(remediation.status(), remediation.summary()
                        + " (not stored with the event: " + e.getClass().getSimpleName() + ")");
            }
        }
        return remediation;
    }

    private void deferLedger(CloudTrailEvent event, RemediationReport remediation) {
        try {
            ledger.defer(ledgerKey(event), remediation.toJson());
        } catch (RuntimeException e) {
            // The retry then finds the event pending (its own request id) and runs it again in full.
            throw new IllegalStateException("remediation deferred but the ledger could not keep it: " + e.getMessage(), e);
        }
    }

    /**
     * The ledger's key: the event id and its content's fingerprint. A forged event that reuses a real event's id has
     * its own record, so it can neither close nor take over the real event's.
     */
    static String ledgerKey(CloudTrailEvent event) {
        return event.eventId() + "#" + event.fingerprint();
    }

    static Decision withNote(Decision d, String note) {
        List<String> notes = new ArrayList<>(d.notes());
        notes.add(note);
        return new Decision(d.eventId(), d.eventName(), d.verdict(), d.reason(), d.target(), d.findings(), d.newAccess(),
                notes, d.event());
    }
}
