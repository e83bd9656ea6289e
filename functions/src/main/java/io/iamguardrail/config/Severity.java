package io.iamguardrail.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Finding severities, most severe first. */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW, INFO;

    public boolean atLeast(Severity other) {
        return ordinal() <= other.ordinal();
    }

    /** One step less severe; INFO stays INFO. */
    public Severity lower() {
        return this == INFO ? INFO : values()[ordinal() + 1];
    }

    /** Parses a severity case-insensitively; the error lists the valid names. */
    public static Severity parse(String text) {
        for (Severity s : values()) {
            if (s.name().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("expected a severity (" + names() + ") but found `" + text + "`");
    }

    public static String names() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
