package io.iamguardrail.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The share of IAM's account-wide rate one container's reads may take: a token bucket of {@code perSecond} tokens a
 * second, holding at most one second's worth, one token per request. A read that finds the bucket empty waits for its
 * token instead of adding to the throttling a deployment's own IAM calls already meet. The guardrail's writes (a
 * remediation) never take from it: they keep their priority over reads.
 */
public final class ReadRate {

    /** How a wait is spent; tests count it instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** No limit: every read goes at once. */
    public static final ReadRate UNLIMITED = new ReadRate(0, Clock.systemUTC(), d -> { });

    private final double perSecond;
    private final Clock clock;
    private final Sleeper sleeper;
    private double tokens;
    private Instant refilled;
    private Duration waited = Duration.ZERO;

    /** @param perSecond reads a second; 0 for no limit */
    public ReadRate(double perSecond, Clock clock, Sleeper sleeper) {
        if (perSecond < 0 || Double.isNaN(perSecond)) {
            throw new IllegalArgumentException("expected a rate of reads a second of 0 (no limit) or more but found "
                    + perSecond);
        }
        this.perSecond = perSecond;
        this.clock = clock;
        this.sleeper = sleeper;
        this.tokens = Math.max(1, perSecond);
        this.refilled = clock.instant();
    }

    public static ReadRate perSecond(double perSecond) {
        return perSecond == 0 ? UNLIMITED : new ReadRate(perSecond, Clock.systemUTC(), d -> Thread.sleep(d.toMillis(),
                d.toNanosPart() % 1_000_000));
    }

    /** Takes one token, waiting for it when the bucket is empty. */
    public synchronized void take() {
        if (perSecond == 0) {
            return;
        }
        refill();
        if (tokens < 1) {
            Duration wait = Duration.ofNanos((long) Math.ceil((1 - tokens) / perSecond * 1_000_000_000L));
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for IAM's read budget", e);
            }
            waited = waited.plus(wait);
            refill();
            tokens = Math.max(tokens, 1);
        }
        tokens -= 1;
    }

    /** How long reads have waited so far. */
    public synchronized Duration waited() {
        return waited;
    }

    private void refill() {
        Instant now = clock.instant();
        double elapsed = Duration.between(refilled, now).toNanos() / 1_000_000_000.0;
        if (elapsed > 0) {
            tokens = Math.min(Math.max(1, perSecond), tokens + elapsed * perSecond);
            refilled = now;
        }
    }
}
