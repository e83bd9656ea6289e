package io.iamguardrail.notify;

/**
 * Where the Slack webhook URL comes from. The URL is a credential (anyone holding it can post to the channel), so it
 * lives in a secret store, never in a plain environment variable, and no implementation may log it.
 */
public interface WebhookSecret {

    /** The webhook URL; implementations cache it for the life of the container. */
    String url();

    /** Forgets a cached URL (after Slack refused it: the secret may have been rotated). */
    default void invalidate() {
    }
}
