package io.iamguardrail.remediation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The writes the guardrail recorded just before making them. The loop guard skips an event of the guardrail's role
 * only when it matches such a record (once: the record is consumed); any other change made with the guardrail's
 * roles is someone else using its permissions, and is judged and reported as such.
 */
public interface OwnChanges {

    /**
     * How long a record waits for its event: CloudTrail reaches EventBridge within minutes, and a record that outlives
     * its event would excuse a later identical write by someone else.
     */
    Duration TTL = Duration.ofMinutes(30);

    void expect(OwnChange change);

    /** Whether this change was recorded (and not consumed yet); consuming it. */
    boolean consume(OwnChange change);

    OwnChanges NONE = new OwnChanges() {
        @Override
        public void expect(OwnChange change) {
        }

        @Override
        public boolean consume(OwnChange change) {
            return false;
        }
    };

    /** For one process (the CLI, tests). */
    static OwnChanges inMemory(Clock clock) {
        return new OwnChanges() {
            private final Map<String, Instant> expected = new HashMap<>();

            @Override
            public synchronized void expect(OwnChange change) {
                expected.put(change.key(), clock.instant().plus(TTL));
            }

            @Override
            public synchronized boolean consume(OwnChange change) {
                Instant until = expected.remove(change.key());
                return until != null && !until.isBefore(clock.instant());
            }
        };
    }
}
