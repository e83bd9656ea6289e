package io.iamguardrail.policy;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of parsing: the document when one could be built (statements that could not be understood are
 * left out of it) and every problem found. Parsing never throws.
 */
public record ParseResult(Optional<PolicyDocument> document, PolicyKind kind, List<Diagnostic> diagnostics) {
    public ParseResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean isValid() {
        return document.isPresent() && diagnostics.isEmpty();
    }
}
