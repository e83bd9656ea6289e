package io.iamguardrail.policy;

import java.util.List;
import java.util.Optional;

/**
 * One statement. {@code index} is its 0-based position (the {@code /Statement/N} of its pointer);
 * {@code principals} is present only in trust and other resource-based policies.
 */
public record Statement(int index, Optional<String> sid, Effect effect, ActionSpec actions, ResourceSpec resources,
                        Optional<PrincipalSpec> principals, List<Condition> conditions, SourceLocation at) {
    public Statement {
        conditions = List.copyOf(conditions);
    }

    /** How messages name a statement: {@code statement `AllowAll` (#2)} or {@code statement #2}. */
    public String label() {
        return sid.filter(s -> !s.isBlank())
                .map(s -> "statement `" + s + "` (#" + (index + 1) + ")")
                .orElse("statement #" + (index + 1));
    }

    public boolean isAllow() {
        return effect == Effect.ALLOW;
    }
}
