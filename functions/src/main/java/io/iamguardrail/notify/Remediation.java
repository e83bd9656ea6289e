package io.iamguardrail.notify;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the guardrail did about an alert, in either form the alert may carry: a plain sentence (the first version of
 * the schema) or an object with mode, status, summary, actions, backup id and undo commands. Every field is optional.
 *
 * @param text   the plain sentence when the alert carries a string; empty for the object form
 * @param reason why nothing was done (rate guard, exempt principal, no finding set to remediate, ...)
 */
public record Remediation(Optional<String> text, Optional<String> mode, Optional<String> status,
                          Optional<String> summary, List<Action> actions, Optional<String> backupId,
                          Optional<String> undoCommand, List<String> undoAws,
                          Optional<String> reason) {

    public Remediation {
        actions = List.copyOf(actions);
        undoAws = List.copyOf(undoAws);
    }

    /** One action taken (or planned) on one target. */
    public record Action(String action, Optional<String> target, Optional<String> status, Optional<String> detail) {
    }

    static Remediation none() {
        return new Remediation(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }

    /** The first version of the schema: one plain sentence. */
    static Remediation sentence(String text) {
        return new Remediation(Optional.of(text), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }

    /** True when the alert says nothing at all about remediation. */
    public boolean isEmpty() {
        return text.isEmpty() && mode.isEmpty() && status.isEmpty() && summary.isEmpty() && actions.isEmpty()
                && backupId.isEmpty() && undoCommand.isEmpty() && undoAws.isEmpty();
    }

    /** True when there is something to undo: a command or AWS CLI calls. */
    public boolean hasUndo() {
        return undoCommand.isPresent() || !undoAws.isEmpty();
    }

    /**
     * True when the guardrail acted on IAM and says how to undo it: not ALERT mode, a status that follows acting
     * (DONE, PARTIAL, FAILED, IN_PROGRESS) and undo commands. A plan, a skip or a refusal changed nothing, so its
     * undo commands (which a plan carries to show what an undo would be) are not an undo to offer.
     */
    public boolean acted() {
        boolean alertMode = mode.filter(m -> m.equalsIgnoreCase("ALERT")).isPresent();
        return !alertMode && hasUndo() && status.filter(ACTED::contains).isPresent();
    }

    private static final Set<String> ACTED = Set.of("DONE", "PARTIAL", "FAILED", "IN_PROGRESS");

    /**
     * {@code DONE (REMEDIATE mode)}, {@code PLANNED}, ... or empty for the string form. The mode is left out when the
     * summary names it already ({@code ALERT mode: REMEDIATE mode would ...}), so the alert says it once.
     */
    public Optional<String> headline() {
        if (status.isEmpty() && mode.isEmpty()) {
            return Optional.empty();
        }
        boolean said = mode.isPresent() && summary.filter(s -> s.contains(mode.get() + " mode")).isPresent();
        return Optional.of(status.orElse("status unknown") + (said ? "" : mode.map(m -> " (" + m + " mode)").orElse("")));
    }
}
