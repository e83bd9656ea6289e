package io.iamguardrail.remediation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What remediation did (or, in ALERT mode, would do) for one event: the {@code remediation} object of the alert.
 * Field names are a contract shared with the Slack renderer.
 *
 * @param mode    ALERT or REMEDIATE
 * @param status  PLANNED, DONE, PARTIAL, FAILED, NOOP, NONE, SKIPPED, DEFERRED (the rate guard keeps it for a
 *                later delivery) or IN_PROGRESS (stored before acting: an attempt that died while acting)
 * @param reason  why nothing was done (rate guard, exempt principal, no finding set to remediate, ...)
 */
public record RemediationReport(String mode, Status status, String summary, List<ActionReport> actions,
                                Optional<String> backupId, Optional<String> undoCommand, List<String> undoAws,
                                Optional<String> reason) {

    public enum Status { PLANNED, DONE, PARTIAL, FAILED, NOOP, NONE, SKIPPED, DEFERRED, IN_PROGRESS }

    private static final JsonFactory JSON = new JsonFactory();

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

    /** Whether IAM may have been written: what was read before it is stale. A plan or a refusal writes nothing. */
    public boolean mayHaveChangedIam() {
        return switch (status) {
            case DONE, PARTIAL, FAILED, IN_PROGRESS -> !actions.isEmpty();
            case PLANNED, NOOP, NONE, SKIPPED, DEFERRED -> false;
        };
    }

    public RemediationReport withStatus(Status newStatus, String newSummary) {
        return new RemediationReport(mode, newStatus, newSummary, actions, backupId, undoCommand, undoAws, reason);
    }

    /** The report as the ledger keeps it, for a retry to re-emit. */
    public String toJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** Reads {@link #toJson()} back; a report that does not read is an error the caller reports. */
    public static RemediationReport fromJson(String json) {
        Node root;
        try {
            root = NodeReader.readJson(json);
        } catch (NodeReadException e) {
            throw new IllegalArgumentException("expected a stored remediation report but found unreadable JSON: "
                    + e.getMessage());
        }
        if (!(root instanceof Node.Obj o)) {
            throw new IllegalArgumentException("expected a stored remediation report (an object) but found " + root.kind());
        }
        List<ActionReport> actions = new ArrayList<>();
        if (o.get("actions") instanceof Node.Arr arr) {
            for (Node n : arr.items()) {
                if (n instanceof Node.Obj a) {
                    actions.add(new ActionReport(text(a, "action").orElse(""), text(a, "target").orElse(""),
                            Status.valueOf(text(a, "status").orElse("FAILED")), text(a, "detail").orElse("")));
                }
            }
        }
        Optional<String> command = Optional.empty();
        List<String> aws = new ArrayList<>();
        if (o.get("undo") instanceof Node.Obj undo) {
            command = text(undo, "command");
            if (undo.get("aws") instanceof Node.Arr arr) {
                arr.items().forEach(n -> {
                    if (n instanceof Node.Str str) {
                        aws.add(str.value());
                    }
                });
            }
        }
        return new RemediationReport(text(o, "mode").orElse(""), Status.valueOf(text(o, "status").orElse("FAILED")),
                text(o, "summary").orElse(""), actions, text(o, "backupId"), command, aws, text(o, "reason"));
    }

    private static Optional<String> text(Node.Obj o, String key) {
        return o.get(key) instanceof Node.Str s ? Optional.of(s.value()) : Optional.empty();
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
