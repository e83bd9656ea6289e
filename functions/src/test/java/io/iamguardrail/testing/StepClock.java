package io.iamguardrail.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move: set {@link #now}, or let each reading advance it by a step. */
public final class StepClock extends Clock {

    public Instant now;
    private final Duration step;

    public StepClock(Instant start, Duration step) {
        this.now = start;
        this.step = step;
    }

    /** A clock that only the test moves. */
    public StepClock(Instant start) {
        this(start, Duration.ZERO);
    }

    @Override
    public ZoneOffset getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant current = now;
        now = now.plus(step);
        return current;
    }
}
