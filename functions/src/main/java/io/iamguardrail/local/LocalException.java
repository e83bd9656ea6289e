package io.iamguardrail.local;

/** A local invocation that cannot start: a template, env-vars file or event that cannot be used, said in one line. */
public final class LocalException extends Exception {
    public LocalException(String message) {
        super(message);
    }
}
