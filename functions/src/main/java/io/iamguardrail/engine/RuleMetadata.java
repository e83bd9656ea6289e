package io.iamguardrail.engine;

import java.util.List;

/**
 * What a rule is, as data: the README's rule catalogue is generated from it, and a test keeps the two in sync.
 *
 * @param appliesTo  "permission", "trust" or "principal"
 */
public record RuleMetadata(String id, Severity severity, String appliesTo, String title, String rationale,
                           String remediation, List<String> references) {
    public RuleMetadata {
        references = List.copyOf(references);
    }
}
