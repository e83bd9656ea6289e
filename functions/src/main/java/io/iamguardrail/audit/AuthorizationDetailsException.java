package io.iamguardrail.audit;

/** The authorization details could not be read: the message says what was expected, what was found and where. */
public final class AuthorizationDetailsException extends Exception {
    public AuthorizationDetailsException(String message) {
        super(message);
    }
}
