package io.iamguardrail.notify;

import java.util.Locale;

/**
 * Alert severities as the notifiers show them: colour and emoji. Kept apart from the engine's enum on purpose: the
 * notifier reads severities from a JSON message and must show an unknown one rather than fail.
 */
public enum Severity {
    CRITICAL("#B71C1C", ":rotating_light:"),
    HIGH("#E65100", ":red_circle:"),
    MEDIUM("#F9A825", ":large_orange_circle:"),
    LOW("#1E88E5", ":large_blue_circle:"),
    INFO("#9E9E9E", ":white_circle:");

    private final String colour;
    private final String emoji;

    Severity(String colour, String emoji) {
        this.colour = colour;
        this.emoji = emoji;
    }

    public String colour() {
        return colour;
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
