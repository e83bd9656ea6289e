package io.iamguardrail.state;

/**
 * The live state could not be read: the entity is gone (or not visible yet: IAM is eventually consistent), access
 * was denied, IAM throttled past the retries, or the guardrail runs offline. Never a reason to call a change compliant.
 */
public final class LookupFailed extends Exception {
    public LookupFailed(String reason) {
        super(reason);
    }
}
