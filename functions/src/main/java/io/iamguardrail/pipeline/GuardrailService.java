package io.iamguardrail.pipeline;

import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The use case the Lambda handler and {@code replay} share: decode, de-duplicate, evaluate, publish, record.
 * A malformed event is an ERROR decision (the handler fails the invocation so it reaches the dead-letter queue);
 * a failed publish gives the event id back and rethrows, so the retry can publish.
 */
public final class GuardrailService {

    /** What happened to one event. */
    public record Outcome(Decision decision, Optional<Alert> alert, Optional<String> messageId) {
    }

    private final EventEvaluator evaluator;
    private final AlertPublisher publisher;
    private final EventLedger ledger;
    private final DecisionLog log;
    private final LongSupplier lookups;
    private final AlertedFindings alerted;

    public GuardrailService(EventEvaluator evaluator, AlertPublisher publisher, EventLedger ledger, DecisionLog log,
                            LongSupplier lookups) {
        this(evaluator, publisher, ledger, log, lookups, AlertedFindings.NONE);
    }

    /** With {@code alerted}: what was alerted is recorded for the weekly audit, after the publish. */
    public GuardrailService(EventEvaluator evaluator, AlertPublisher publisher, EventLedger ledger, DecisionLog log,
                            LongSupplier lookups, AlertedFindings alerted) {
        this.alerted = alerted;
        this.evaluator = evaluator;
        this.publisher = publisher;
        this.ledger = ledger;
        this.log = log;
        this.lookups = lookups;
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
        Alert alert = AlertBuilder.build(d, remediationText());
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
        return new Outcome(d, Optional.of(alert), Optional.ofNullable(id));
    }

    private static Decision withNote(Decision d, String note) {
        java.util.List<String> notes = new java.util.ArrayList<>(d.notes());
        notes.add(note);
        return new Decision(d.eventId(), d.eventName(), d.verdict(), d.reason(), d.target(), d.findings(), d.newAccess(),
                notes, d.event());
    }

    private String remediationText() {
        return evaluator.config().mode() == io.iamguardrail.config.GuardrailConfig.Mode.REMEDIATE
                ? "none: automatic remediation is not enabled for these findings"
                : "none (ALERT mode): review and fix as each finding says";
    }
}
