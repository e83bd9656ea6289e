package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the guardrail did about an alert, in either form the alert may carry: a plain sentence (the first version of
 * the schema) or an object with mode, status, summary, actions, backup id and undo commands. Every field is optional.
 *
 * @param text the plain sentence when the alert carries a string; empty for the object form
 */
public record Remediation(Optional<String> text, Optional<String> mode, Optional<String> status,
                          Optional<String> summary, List<Action> actions, Optional<String> backupId,
                          Optional<String> undoCommand, List<String> undoAws) {

    public Remediation {
        actions = List.copyOf(actions);
        undoAws = List.copyOf(undoAws);
    }

    /** One action taken (or planned) on one target. */
    public record Action(String action, Optional<String> target, Optional<String> status, Optional<String> detail) {
    }

    static Remediation none() {
        return new Remediation(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), List.of());
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

    /** {@code DONE (REMEDIATE)}, {@code PLANNED}, ... or empty for the string form. */
    public Optional<String> headline() {
        if (status.isEmpty() && mode.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(status.orElse("status unknown") + mode.map(m -> " (" + m + " mode)").orElse(""));
    }

    static Remediation from(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return none();
        }
        if (!node.isObject()) {
            return new Remediation(Optional.of(node.isContainerNode() ? node.toString() : node.asText()), Optional.empty(),
                    Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), List.of());
        }
        List<Action> actions = new ArrayList<>();
        for (JsonNode a : node.path("actions")) {
            actions.add(new Action(AlertView.text(a, "action").orElse("ACTION"), AlertView.text(a, "target"),
                    AlertView.text(a, "status"), AlertView.text(a, "detail")));
        }
        JsonNode undo = node.path("undo");
        Optional<String> command = undo.isTextual() ? Optional.of(undo.asText()) : AlertView.text(undo, "command");
        return new Remediation(Optional.empty(), AlertView.text(node, "mode"), AlertView.text(node, "status"),
                AlertView.text(node, "summary"), actions, AlertView.text(node, "backupId"), command,
                AlertView.strings(undo.path("aws")));
    }
}
