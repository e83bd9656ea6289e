package io.iamguardrail.config;

/** The configuration is invalid; the message says where, what was expected and what was found. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
