package io.iamguardrail.pipeline;

import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;

import io.iamguardrail.remediation.PlanOnly;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.remediation.RemediationReport;
import io.iamguardrail.remediation.Remediator;

import java.time.Clock;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The use case the Lambda handler and {@code replay} share: decode, de-duplicate, evaluate, publish, record.
 * A malformed event is an ERROR decision (the handler fails the invocation so it reaches the dead-letter queue);
 * a failed publish gives the event id back and rethrows, so the retry can publish.
 */
public final class GuardrailService {

    /** What happened to one event. */
    public record Outcome(Decision decision, Optional<Alert> alert, Optional<String> messageId,
                          Optional<RemediationReport> remediation) {
        public Outcome(Decision decision, Optional<Alert> alert, Optional<String> messageId) {
            this(decision, alert, messageId, Optional.empty());
        }
    }

    private final EventEvaluator evaluator;
    private final AlertPublisher publisher;
    private final EventLedger ledger;
    private final DecisionLog log;
    private final LongSupplier lookups;
    private final Remediator remediator;
    private final AlertedFindings alerted;

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

    public io.iamguardrail.config.GuardrailConfig config() {
        return evaluator.config();
    }

    public Outcome process(byte[] input, String source) {
        long before = lookups.getAsLong();
        EventDecoder.Decoded decoded = EventDecoder.decode(input);
        if (decoded.event().isEmpty()) {
            Decision d = Decision.error("unknown", "unknown", "malformed event: " + decoded.error().orElse("?"));
            log.record(d, source, 0);
            return new Outcome(d, Optional.empty(), Optional.empty());
        }
        CloudTrailEvent event = decoded.event().get();
        Decision d;
        try {
            d = evaluator.evaluate(event);
        } catch (RuntimeException e) {
            d = Decision.error(event.eventId(), event.eventName(), "evaluation failed: " + e);
            log.record(d, source, lookups.getAsLong() - before);
            return new Outcome(d, Optional.empty(), Optional.empty());
        }
        if (d.verdict() == Verdict.NO_ALERT) {
            try {
                remediator.observe(d);
            } catch (RuntimeException e) {
                // Last-known-good snapshots are a convenience for later remediations, never a reason to fail.
            }
        }
        if (d.verdict() != Verdict.ALERT) {
            log.record(d, source, lookups.getAsLong() - before);
            return new Outcome(d, Optional.empty(), Optional.empty());
        }
        boolean claimed;
        try {
            claimed = ledger.claim(event.eventId());
        } catch (RuntimeException e) {
            // The ledger is down: a duplicate alert is better than a lost one.
            claimed = true;
            d = withNote(d, "duplicate check unavailable (" + e.getClass().getSimpleName() + "): may be sent twice");
        }
        if (!claimed) {
            Decision dup = Decision.skipped(event, "event already processed (duplicate delivery)");
            log.record(dup, source, lookups.getAsLong() - before);
            return new Outcome(dup, Optional.empty(), Optional.empty());
        }
        RemediationReport remediation;
        try {
            remediation = remediator.remediate(d);
        } catch (RuntimeException e) {
            // Never silent: a remediation that blew up is reported as failed in the alert.
            remediation = new RemediationReport(evaluator.config().mode().name(), RemediationReport.Status.FAILED,
                    "remediation failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), java.util.List.of(),
                    Optional.empty(), Optional.empty(), java.util.List.of(), Optional.of(String.valueOf(e.getMessage())));
        }
        if (remediation.failed()) {
            d = withNote(d, "automatic remediation " + remediation.status() + ": " + remediation.summary());
        }
        Alert alert = AlertBuilder.build(d, remediation);
        String id;
        try {
            id = publisher.publish(alert);
        } catch (RuntimeException e) {
            try {
                ledger.release(event.eventId());
            } catch (RuntimeException releaseFailed) {
                e.addSuppressed(releaseFailed); // the lease expires and a retry can still claim
            }
            throw e;
        }
        try {
            ledger.complete(event.eventId());
        } catch (RuntimeException e) {
            // Published; at worst a redelivery after the lease publishes again.
        }
        try {
            alerted.record(d);
        } catch (RuntimeException e) {
            // The alert is out; the weekly audit will at worst call these findings new.
            d = withNote(d, "alerted findings not recorded for the audit (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        log.record(d, source, lookups.getAsLong() - before);
        return new Outcome(d, Optional.of(alert), Optional.ofNullable(id), Optional.of(remediation));
    }

    private static Decision withNote(Decision d, String note) {
        java.util.List<String> notes = new java.util.ArrayList<>(d.notes());
        notes.add(note);
        return new Decision(d.eventId(), d.eventName(), d.verdict(), d.reason(), d.target(), d.findings(), d.newAccess(),
                notes, d.event());
    }
}
