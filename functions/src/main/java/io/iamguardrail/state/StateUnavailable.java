package io.iamguardrail.state;

/**
 * IAM did not answer in time: throttled, failing or unreachable past the client's retries. Unlike
 * {@link LookupFailed} (the entity is gone, or access is denied), this says nothing about the entity, so the event is
 * not judged from its own copy: the invocation fails, and Lambda's retries and the dead-letter queue keep it.
 */
public final class StateUnavailable extends RuntimeException {
    public StateUnavailable(String reason, Throwable cause) {
        super(reason, cause);
    }
}
