package io.iamguardrail.json;

/** The input is not a readable JSON or YAML document; the message says what was expected and what was found. */
public final class NodeReadException extends Exception {
    private final SourceLocation at;

    public NodeReadException(String message, SourceLocation at) {
        super(message);
        this.at = at;
    }

    public SourceLocation at() {
        return at;
    }
}
