package io.iamguardrail.state;

/**
 * The live state could not be read: the entity is gone (or not visible yet: IAM is eventually consistent), access
 * was denied, or the guardrail runs offline. Never a reason to call a change compliant. (IAM throttling or failing
 * past the retries is {@link StateUnavailable}.)
 */
public final class LookupFailed extends Exception {
    public LookupFailed(String reason) {
        super(reason);
    }
}
