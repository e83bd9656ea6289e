package io.iamguardrail.remediation;

import io.iamguardrail.event.CloudTrailEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Whether an event may lead to an IAM write: only when it is recent and, where confirmation is asked for,
 * CloudTrail itself recorded it as received. An event that fails the gate still alerts; it never remediates and
 * never records a last-known-good snapshot. Anyone who may invoke the function can hand it an event: the gate keeps
 * such an event from steering the guardrail's write permissions.
 */
public final class EventGate {

    /** The gate's answer. */
    public sealed interface Answer permits Admit, Refuse, Defer {
    }

    public record Admit() implements Answer {
    }

    /** Never acted on: alert only, and why. */
    public record Refuse(String why) implements Answer {
    }

    /** Not confirmable yet (CloudTrail's history lags): asked again on the event's next delivery. */
    public record Defer(String why) implements Answer {
    }

    /** How long an event may wait for CloudTrail's history to show it before it counts as unconfirmed. */
    static final Duration CONFIRMATION_WINDOW = Duration.ofMinutes(20);

    private final Clock clock;
    private final Optional<Duration> maxAge;
    private final Optional<EventConfirmation> confirmation;

    /**
     * @param maxAge       events older than this never remediate (empty: no bound, the operator chose the events)
     * @param confirmation CloudTrail's own record of the event, asked before acting (empty: not asked)
     */
    public EventGate(Clock clock, Optional<Duration> maxAge, Optional<EventConfirmation> confirmation) {
        this.clock = clock;
        this.maxAge = maxAge;
        this.confirmation = confirmation;
    }

    /** No bound and no confirmation: a replay of events the operator chose. */
    public static EventGate open(Clock clock) {
        return new EventGate(clock, Optional.empty(), Optional.empty());
    }

    /** Why the event is past the age bound (or its age cannot be told), or nothing. */
    public Optional<String> tooOld(CloudTrailEvent e) {
        if (maxAge.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> time = e.eventTime().flatMap(EventGate::instant);
        if (time.isEmpty()) {
            return Optional.of("the event has no readable eventTime, so its age cannot be bounded");
        }
        Duration age = Duration.between(time.get(), clock.instant());
        return age.compareTo(maxAge.get()) > 0 ? Optional.of("the event is " + age.toHours() + " h old, older than the "
                + maxAge.get().toHours() + " h bound for acting on events") : Optional.empty();
    }

    public Answer check(CloudTrailEvent e) {
        Optional<Instant> time = e.eventTime().flatMap(EventGate::instant);
        Optional<String> old = tooOld(e);
        if (old.isPresent()) {
            return new Refuse(old.get());
        }
        if (confirmation.isEmpty()) {
            return new Admit();
        }
        EventConfirmation.Result r = confirmation.get().confirm(e);
        return switch (r.status()) {
            case CONFIRMED -> new Admit();
            case CONTRADICTED -> new Refuse("CloudTrail's record of event " + e.eventId() + " differs (" + r.why()
                    + "): not the event CloudTrail recorded");
            case NOT_FOUND, UNAVAILABLE -> {
                boolean young = time.map(t -> Duration.between(t, clock.instant()).compareTo(CONFIRMATION_WINDOW) < 0)
                        .orElse(false);
                String why = "CloudTrail does not confirm event " + e.eventId() + " (" + r.why() + ")";
                yield young ? new Defer(why + ": asked again on the next delivery") : new Refuse(why);
            }
        };
    }

    /** Why the event may not lead to an IAM write now (refused or deferred), or nothing when it may. */
    public Optional<String> refusal(CloudTrailEvent e) {
        Answer a = check(e);
        if (a instanceof Refuse r) {
            return Optional.of(r.why());
        }
        return a instanceof Defer d ? Optional.of(d.why()) : Optional.empty();
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
