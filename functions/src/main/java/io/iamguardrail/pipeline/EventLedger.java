package io.iamguardrail.pipeline;

/**
 * Remembers processed event ids so that a redelivered event never publishes twice (a DynamoDB conditional write in
 * the Lambda). {@link #claim} is atomic: exactly one caller gets true for an id. A claim is a lease: if the claimer
 * dies before {@link #complete} (a timeout between claim and publish), a later delivery may claim again, so an
 * alert is never lost to a crash.
 */
public interface EventLedger {

    boolean claim(String eventId);

    /** Gives an id back after a failure to publish, so that the retry can publish. */
    void release(String eventId);

    /** The alert is published: the id is done for good. */
    default void complete(String eventId) {
    }

    EventLedger NONE = new EventLedger() {
        @Override
        public boolean claim(String eventId) {
            return true;
        }

        @Override
        public void release(String eventId) {
        }
    };
}
