package io.iamguardrail.engine;

import io.iamguardrail.config.Severity;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a rule is, as data: the README's rule catalogue is generated from it, and a test keeps the two in sync.
 *
 * @param appliesTo  "permission", "trust", "resource", "principal", "change", "audit" or "engine"
 * @param traits     how the rule's findings are judged ({@link Judgement})
 */
public record RuleMetadata(String id, Severity severity, String appliesTo, String title, String rationale,
                           String remediation, List<String> references, Set<RuleTrait> traits) {
    public RuleMetadata {
        references = List.copyOf(references);
        // An EnumSet keeps the declaration order, so the generated catalogue lists traits the same way every time.
        traits = Collections.unmodifiableSet(traits.isEmpty() ? EnumSet.noneOf(RuleTrait.class) : EnumSet.copyOf(traits));
    }

    public RuleMetadata(String id, Severity severity, String appliesTo, String title, String rationale,
                        String remediation, List<String> references) {
        this(id, severity, appliesTo, title, rationale, remediation, references, Set.of());
    }

    /** This entry with {@code more} traits. */
    public RuleMetadata with(RuleTrait... more) {
        Set<RuleTrait> all = traits.isEmpty() ? EnumSet.noneOf(RuleTrait.class) : EnumSet.copyOf(traits);
        all.addAll(List.of(more));
        return new RuleMetadata(id, severity, appliesTo, title, rationale, remediation, references, all);
    }

    public boolean has(RuleTrait trait) {
        return traits.contains(trait);
    }
}
