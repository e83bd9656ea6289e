package io.iamguardrail.cli;

/** Bad usage or unreadable input: printed as one line, exit code 2. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
