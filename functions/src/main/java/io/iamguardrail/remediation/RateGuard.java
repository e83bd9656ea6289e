package io.iamguardrail.remediation;

/**
 * Counts remediations per minute: past the limit, remediation switches to alert-only, so a bad rule can never
 * mass-detach an account. In memory for the CLI; an atomic DynamoDB counter in the Lambda.
 */
public interface RateGuard {

    /** Takes one remediation from this minute's budget; false when it is spent. */
    boolean tryAcquire();

    int limit();

    /** In memory: one process (the CLI). */
    static RateGuard inMemory(int perMinute, java.time.Clock clock) {
        return new RateGuard() {
            private long minute = -1;
            private int used;

            @Override
            public synchronized boolean tryAcquire() {
                long now = clock.instant().getEpochSecond() / 60;
                if (now != minute) {
                    minute = now;
                    used = 0;
                }
                if (used >= perMinute) {
                    return false;
                }
                used++;
                return true;
            }

            @Override
            public int limit() {
                return perMinute;
            }
        };
    }
}
