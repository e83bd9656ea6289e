package io.iamguardrail.telemetry;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The application log levels Lambda's advanced logging controls know, lowest first. The function's level comes from
 * {@code AWS_LAMBDA_LOG_LEVEL} (which Lambda sets from the template's {@code LoggingConfig.ApplicationLogLevel}), then
 * Powertools' {@code POWERTOOLS_LOG_LEVEL}, else INFO.
 */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL;

    /** The threshold the environment sets; a value that is no level (a typo) leaves INFO rather than fail a function. */
    public static LogLevel of(Map<String, String> env) {
        for (String key : new String[] {"AWS_LAMBDA_LOG_LEVEL", "POWERTOOLS_LOG_LEVEL"}) {
            Optional<LogLevel> level = named(env.get(key));
            if (level.isPresent()) {
                return level.get();
            }
        }
        return INFO;
    }

    /** The level spelt {@code name} in any case (Lambda writes them upper case), or empty. */
    public static Optional<LogLevel> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String upper = name.trim().toUpperCase(Locale.ROOT);
        for (LogLevel l : values()) {
            if (l.name().equals(upper)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** Whether a line at this level is written when {@code threshold} is the function's level. */
    public boolean atLeast(LogLevel threshold) {
        return compareTo(threshold) >= 0;
    }
}
