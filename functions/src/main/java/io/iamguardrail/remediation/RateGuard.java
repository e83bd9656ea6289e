package io.iamguardrail.remediation;

import io.iamguardrail.config.Severity;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Counts remediations per minute: past the limit a remediation is deferred (kept, and retried a minute or two later),
 * so a bad rule can never mass-detach an account, and a flood of decoy changes only delays the real one. CRITICAL
 * findings may use the whole budget, the others half of it: when the budget is short, the most severe go first.
 * In memory for the CLI; an atomic DynamoDB counter in the Lambda.
 */
public interface RateGuard {

    /** Takes one remediation from this minute's budget; false when the share for this severity is spent. */
    boolean tryAcquire(Severity severity);

    /** The share of the budget a remediation of this severity may use. */
    static int share(int limit, Severity severity) {
        return severity == Severity.CRITICAL ? limit : Math.max(1, limit / 2);
    }

    int limit();

    /** In memory: one process (the CLI); the budget counts the last 60 seconds, so no minute boundary resets it. */
    static RateGuard inMemory(int perMinute, Clock clock) {
        return new RateGuard() {
            private final ArrayDeque<Instant> taken = new ArrayDeque<>();

            @Override
            public synchronized boolean tryAcquire(Severity severity) {
                Instant now = clock.instant();
                while (!taken.isEmpty() && !taken.peekFirst().isAfter(now.minusSeconds(60))) {
                    taken.removeFirst();
                }
                if (taken.size() >= share(perMinute, severity)) {
                    return false;
                }
                taken.addLast(now);
                return true;
            }

            @Override
            public int limit() {
                return perMinute;
            }
        };
    }
}
