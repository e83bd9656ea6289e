package io.iamguardrail.pipeline;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers processed event ids so that a redelivered event never publishes twice (a DynamoDB conditional write in
 * the Lambda). A claim is a lease held by one invocation (its request id) until a little after that invocation must
 * have ended. A Lambda retry keeps its request id, so it takes its own earlier claim back at once; a claim held by
 * another invocation that is still running is {@link Claim.Status#HELD}, and that delivery fails so that Lambda
 * retries it later, instead of ending as a "duplicate" that nobody ever alerts on.
 */
public interface EventLedger {

    /** Who processes an event: the invocation's request id and the end of its lease. */
    record Holder(String requestId, Instant leaseUntil) {
    }

    /**
     * What a claim found, with the remediation report the event's earlier attempt stored ({@code remediation}, the
     * report's JSON), so that a retry re-emits it rather than remediating again.
     */
    record Claim(Status status, Optional<String> remediation, Optional<String> heldBy) {

        public enum Status {
            /** This invocation's: a new event, one left by a dead invocation, or this request's own earlier attempt. */
            CLAIMED,
            /** Its alert is published and nothing is left to do: a redelivery. */
            DONE,
            /** Another invocation, still within its lease, processes it now. */
            HELD,
            /** Its alert is published but its remediation was deferred (rate guard): the remediation is due again. */
            DEFERRED
        }

        public static Claim claimed(Optional<String> remediation) {
            return new Claim(Status.CLAIMED, remediation, Optional.empty());
        }
    }

    Claim claim(String eventId, Holder holder);

    /**
     * Gives an id back after a failure to publish, so that the retry can publish: the lease ends now, and the stored
     * remediation report stays for the retry to re-emit.
     */
    void release(String eventId, Holder holder);

    /** Stores the remediation report (JSON) with the claim: before acting (the plan and backup id) and after. */
    void recordRemediation(String eventId, String report);

    /** The alert is out but the remediation was deferred: a later delivery remediates. */
    void defer(String eventId, String report);

    /** The alert is published: the id is done for good. */
    void complete(String eventId);

    EventLedger NONE = new EventLedger() {
        @Override
        public Claim claim(String eventId, Holder holder) {
            return Claim.claimed(Optional.empty());
        }

        @Override
        public void release(String eventId, Holder holder) {
        }

        @Override
        public void recordRemediation(String eventId, String report) {
        }

        @Override
        public void defer(String eventId, String report) {
        }

        @Override
        public void complete(String eventId) {
        }
    };

    /** For one process (the CLI, tests): the same rules as the table. */
    static EventLedger inMemory(Clock clock) {
        return new EventLedger() {
            private record Entry(String status, String owner, Instant leaseUntil, Optional<String> remediation) {
            }

            private final Map<String, Entry> entries = new HashMap<>();

            @Override
            public synchronized Claim claim(String eventId, Holder holder) {
                Entry e = entries.get(eventId);
                if (e != null && e.status().equals("done")) {
                    return new Claim(Claim.Status.DONE, e.remediation(), Optional.empty());
                }
                if (e != null && e.status().equals("pending") && !e.owner().equals(holder.requestId())
                        && !e.leaseUntil().isBefore(clock.instant())) {
                    return new Claim(Claim.Status.HELD, e.remediation(), Optional.of(e.owner()));
                }
                boolean deferred = e != null && e.status().equals("deferred");
                Optional<String> remediation = e == null ? Optional.empty() : e.remediation();
                entries.put(eventId, new Entry("pending", holder.requestId(), holder.leaseUntil(), remediation));
                return new Claim(deferred ? Claim.Status.DEFERRED : Claim.Status.CLAIMED, remediation, Optional.empty());
            }

            @Override
            public synchronized void release(String eventId, Holder holder) {
                Entry e = entries.get(eventId);
                if (e != null && e.status().equals("pending") && e.owner().equals(holder.requestId())) {
                    entries.put(eventId, new Entry("pending", e.owner(), Instant.EPOCH, e.remediation()));
                }
            }

            @Override
            public synchronized void recordRemediation(String eventId, String report) {
                entries.computeIfPresent(eventId, (k, e) -> new Entry(e.status(), e.owner(), e.leaseUntil(),
                        Optional.of(report)));
            }

            @Override
            public synchronized void defer(String eventId, String report) {
                entries.computeIfPresent(eventId, (k, e) -> new Entry("deferred", e.owner(), e.leaseUntil(),
                        Optional.of(report)));
            }

            @Override
            public synchronized void complete(String eventId) {
                entries.computeIfPresent(eventId, (k, e) -> new Entry("done", e.owner(), e.leaseUntil(), e.remediation()));
            }
        };
    }
}
