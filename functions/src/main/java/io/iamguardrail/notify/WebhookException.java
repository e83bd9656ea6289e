package io.iamguardrail.notify;

/**
 * A Slack message that could not be delivered. The message names the host and the status, never the webhook URL
 * (its path is the secret).
 */
public final class WebhookException extends RuntimeException {

    private final boolean permanent;

    public WebhookException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    /** True when retrying the same request cannot help (refused host, 4xx other than 429). */
    public boolean permanent() {
        return permanent;
    }
}
