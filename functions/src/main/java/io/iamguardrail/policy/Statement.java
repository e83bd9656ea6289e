package io.iamguardrail.policy;

import io.iamguardrail.json.SourceLocation;

import java.util.List;
import java.util.Optional;

/**
 * One statement. {@code index} is its 0-based position (the {@code /Statement/N} of its pointer);
 * {@code principals} is present only in trust and other resource-based policies; {@code branch} says which
 * branch of a template's {@code Fn::If} it is in ({@code when `IsProd` is true}), when it is in one.
 */
public record Statement(int index, Optional<String> sid, Effect effect, ActionSpec actions, ResourceSpec resources,
                        Optional<PrincipalSpec> principals, List<Condition> conditions, SourceLocation at,
                        Optional<String> branch) {
    public Statement {
        conditions = List.copyOf(conditions);
    }

    public Statement(int index, Optional<String> sid, Effect effect, ActionSpec actions, ResourceSpec resources,
                     Optional<PrincipalSpec> principals, List<Condition> conditions, SourceLocation at) {
        this(index, sid, effect, actions, resources, principals, conditions, at, Optional.empty());
    }

    /** This statement as written in one branch of an {@code Fn::If}. */
    public Statement inBranch(String label) {
        return label.isEmpty() ? this
                : new Statement(index, sid, effect, actions, resources, principals, conditions, at, Optional.of(label));
    }

    /** How messages name a statement: {@code statement `AllowAll` (#2)} or {@code statement #2}, and its branch. */
    public String label() {
        String base = sid.filter(s -> !s.isBlank())
                .map(s -> "statement `" + s + "` (#" + (index + 1) + ")")
                .orElse("statement #" + (index + 1));
        return branch.map(b -> base + " (" + b + ")").orElse(base);
    }

    public boolean isAllow() {
        return effect == Effect.ALLOW;
    }
}
