package io.iamguardrail.remediation;

import io.iamguardrail.event.CloudTrailEvent;

/**
 * CloudTrail's own record of an event (LookupEvents by event id), compared with the event the guardrail received:
 * an event that CloudTrail recorded differently was not CloudTrail's. CloudTrail's event history lags EventBridge
 * by minutes, so "not found yet" is its own answer: a young event is looked up again later.
 */
public interface EventConfirmation {

    enum Status { CONFIRMED, NOT_FOUND, CONTRADICTED, UNAVAILABLE }

    /** What CloudTrail said, and why when it did not confirm. */
    record Result(Status status, String why) {
        public static Result confirmed() {
            return new Result(Status.CONFIRMED, "recorded by CloudTrail");
        }
    }

    Result confirm(CloudTrailEvent event);
}
