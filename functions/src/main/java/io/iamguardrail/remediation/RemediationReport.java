package io.iamguardrail.remediation;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What remediation did (or, in ALERT mode, would do) for one event: the {@code remediation} object of the alert.
 * Field names are a contract shared with the Slack renderer.
 *
 * @param mode    ALERT or REMEDIATE
 * @param status  PLANNED, DONE, PARTIAL, FAILED, NOOP, NONE or SKIPPED
 * @param reason  why nothing was done (rate guard, exempt principal, no finding set to remediate, ...)
 */
public record RemediationReport(String mode, Status status, String summary, List<ActionReport> actions,
                                Optional<String> backupId, Optional<String> undoCommand, List<String> undoAws,
                                Optional<String> reason) {

    public enum Status { PLANNED, DONE, PARTIAL, FAILED, NOOP, NONE, SKIPPED }

    /** One action and how it went. */
    public record ActionReport(String action, String target, Status status, String detail) {
    }

    public RemediationReport {
        actions = List.copyOf(actions);
        undoAws = List.copyOf(undoAws);
    }

    public static RemediationReport none(String mode, String reason) {
        return new RemediationReport(mode, Status.NONE, "no automatic remediation: " + reason, List.of(),
                Optional.empty(), Optional.empty(), List.of(), Optional.of(reason));
    }

    public static RemediationReport skipped(String mode, String reason) {
        return new RemediationReport(mode, Status.SKIPPED, "remediation skipped: " + reason, List.of(),
                Optional.empty(), Optional.empty(), List.of(), Optional.of(reason));
    }

    /** A remediation that was due and did not fully happen: the alert must say so loudly. */
    public boolean failed() {
        return status == Status.FAILED || status == Status.PARTIAL;
    }

    public void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("mode", mode);
        g.writeStringField("status", status.name());
        g.writeStringField("summary", summary);
        g.writeArrayFieldStart("actions");
        for (ActionReport a : actions) {
            g.writeStartObject();
            g.writeStringField("action", a.action());
            g.writeStringField("target", a.target());
            g.writeStringField("status", a.status().name());
            g.writeStringField("detail", a.detail());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (backupId.isPresent()) {
            g.writeStringField("backupId", backupId.get());
        }
        if (undoCommand.isPresent() || !undoAws.isEmpty()) {
            g.writeObjectFieldStart("undo");
            if (undoCommand.isPresent()) {
                g.writeStringField("command", undoCommand.get());
            }
            g.writeArrayFieldStart("aws");
            for (String c : undoAws) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        if (reason.isPresent()) {
            g.writeStringField("reason", reason.get());
        }
        g.writeEndObject();
    }
}
