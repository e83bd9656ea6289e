package io.iamguardrail.paths;

import java.util.Optional;

/**
 * One edge of the graph: {@code from} may act as {@code to} ({@link PrivilegeGraph#ADMIN} for administrator access)
 * by {@code method}, because of {@code evidence}; {@code trust} is the target's trust statement that admits the
 * source, when that is part of why. A {@code potential} hop depends on something the graph cannot see (a running
 * instance or task that holds the role).
 */
public record Hop(String from, String to, Method method, Evidence evidence, Optional<Evidence> trust, boolean potential) {

    /** The hop in one line: {@code `role/a` reaches `role/b` by assume: ... (policy, statement)}. */
    public String describe() {
        return "`" + from + "` " + (potential ? "could reach" : "reaches") + " `" + to + "` by " + method.id() + ": "
                + evidence.detail() + " (" + evidence.policy() + ", " + evidence.statement() + ")"
                + trust.map(t -> "; trust: " + t.policy() + ", " + t.statement()).orElse("");
    }
}
