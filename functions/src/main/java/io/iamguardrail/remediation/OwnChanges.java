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

    /**
     * Whether this change was recorded and is still waiting for its event, or was already claimed by this same event
     * (a redelivery of it). The first event to match claims the record: a replay of that event keeps being the
     * guardrail's own change, and any other event with the same parameters is not.
     */
    boolean consume(OwnChange change, String eventId);

    OwnChanges NONE = new OwnChanges() {
        @Override
        public void expect(OwnChange change) {
        }

        @Override
        public boolean consume(OwnChange change, String eventId) {
            return false;
        }
    };

    /** For one process (the CLI, tests). */
    static OwnChanges inMemory(Clock clock) {
        return new OwnChanges() {
            private record Expected(Instant until, String claimedBy) {
            }

            private final Map<String, Expected> expected = new HashMap<>();

            @Override
            public synchronized void expect(OwnChange change) {
                expected.put(change.key(), new Expected(clock.instant().plus(TTL), null));
            }

            @Override
            public synchronized boolean consume(OwnChange change, String eventId) {
                Expected e = expected.get(change.key());
                if (e == null || e.until().isBefore(clock.instant())) {
                    return false;
                }
                if (e.claimedBy() == null) {
                    expected.put(change.key(), new Expected(e.until(), eventId));
                    return true;
                }
                return e.claimedBy().equals(eventId);
            }
        };
    }
}
