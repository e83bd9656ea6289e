package io.iamguardrail.notify;

import java.util.Locale;

/**
 * Alert severities as the notifiers show them: the emoji that starts a Slack header and each finding. Kept apart from
 * the engine's enum on purpose: the notifier reads severities from a JSON message and must show an unknown one rather
 * than fail.
 */
public enum Severity {
    CRITICAL(":rotating_light:"),
    HIGH(":red_circle:"),
    MEDIUM(":large_orange_circle:"),
    LOW(":large_blue_circle:"),
    INFO(":white_circle:");

    private final String emoji;

    Severity(String emoji) {
        this.emoji = emoji;
    }

    public String emoji() {
        return emoji;
    }

    public boolean atLeast(Severity other) {
        return ordinal() <= other.ordinal();
    }

    /** The severity named by {@code name} (any case); {@code INFO} for a missing or unknown name. */
    public static Severity of(String name) {
        try {
            return name == null ? INFO : valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return INFO;
        }
    }
}
