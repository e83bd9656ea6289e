package io.iamguardrail.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.NodeWriter;
import io.iamguardrail.notify.AlertDocument.Actor;
import io.iamguardrail.notify.AlertDocument.Event;
import io.iamguardrail.notify.AlertDocument.Finding;
import io.iamguardrail.notify.AlertDocument.Location;
import io.iamguardrail.notify.AlertDocument.OtherEvent;
import io.iamguardrail.notify.AlertDocument.Related;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON form of {@link AlertDocument}, schema {@value #SCHEMA}: the only place that names its fields, both ways.
 * Subscribers and the notifier function read what {@link #write} writes, so the field order and the optional fields
 * left out (rather than written as null) are part of the contract.
 */
public final class AlertJson {

    public static final String SCHEMA = "iam-guardrail/alert/1";
    private static final JsonFactory JSON = new JsonFactory();

    private AlertJson() {
    }

    static String write(AlertDocument a) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("summary", a.summary());
            g.writeStringField("severity", a.severity());
            optional(g, "verdict", a.verdict());
            Event e = a.event();
            g.writeObjectFieldStart("event");
            g.writeStringField("id", e.id());
            g.writeStringField("name", e.name());
            optional(g, "time", e.time());
            optional(g, "account", e.account());
            optional(g, "accountName", e.accountName());
            g.writeEndObject();
            if (!a.otherEvents().isEmpty()) {
                g.writeArrayFieldStart("otherEvents");
                for (OtherEvent o : a.otherEvents()) {
                    g.writeStartObject();
                    g.writeStringField("id", o.id());
                    g.writeStringField("name", o.name());
                    optional(g, "time", o.time());
                    g.writeStringField("actor", o.actor());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            Actor actor = a.actor();
            g.writeObjectFieldStart("actor");
            g.writeStringField("type", actor.type());
            optional(g, "arn", actor.arn());
            optional(g, "sessionIssuer", actor.sessionIssuer());
            optional(g, "sourceIp", actor.sourceIp());
            optional(g, "userAgent", actor.userAgent());
            g.writeBooleanField("mfa", actor.mfa());
            g.writeEndObject();
            optional(g, "target", a.target());
            g.writeArrayFieldStart("findings");
            for (Finding f : a.findings()) {
                finding(g, f);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("findingsNotShown");
            for (Map.Entry<String, Long> o : a.findingsNotShown().entrySet()) {
                g.writeNumberField(o.getKey(), o.getValue());
            }
            g.writeEndObject();
            strings(g, "newAccess", a.newAccess());
            strings(g, "notes", a.notes());
            g.writeFieldName("remediation");
            remediation(g, a.remediation());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("writing the alert JSON to memory failed", ex);
        }
        return out.toString();
    }

    private static void finding(JsonGenerator g, Finding f) throws IOException {
        g.writeStartObject();
        g.writeStringField("ruleId", f.ruleId());
        g.writeStringField("severity", f.severity());
        g.writeStringField("title", f.title());
        g.writeStringField("message", f.message());
        optional(g, "source", f.source());
        optional(g, "principal", f.principal());
        if (f.location().isPresent()) {
            g.writeObjectFieldStart("location");
            location(g, f.location().get());
            g.writeEndObject();
        }
        g.writeStringField("remediation", f.remediation());
        optional(g, "severityLoweredBecause", f.severityLoweredBecause());
        if (!f.related().isEmpty()) {
            g.writeArrayFieldStart("related");
            for (Related r : f.related()) {
                g.writeStartObject();
                g.writeStringField("source", r.source());
                location(g, r.location());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        optional(g, "fingerprint", f.fingerprint());
        g.writeEndObject();
    }

    private static void location(JsonGenerator g, Location l) throws IOException {
        g.writeStringField("pointer", l.pointer());
        g.writeNumberField("line", l.line());
        g.writeNumberField("column", l.column());
    }

    private static void remediation(JsonGenerator g, Remediation r) throws IOException {
        if (r.text().isPresent()) {
            g.writeString(r.text().get());
            return;
        }
        g.writeStartObject();
        optional(g, "mode", r.mode());
        optional(g, "status", r.status());
        optional(g, "summary", r.summary());
        g.writeArrayFieldStart("actions");
        for (Remediation.Action x : r.actions()) {
            g.writeStartObject();
            g.writeStringField("action", x.action());
            optional(g, "target", x.target());
            optional(g, "status", x.status());
            optional(g, "detail", x.detail());
            g.writeEndObject();
        }
        g.writeEndArray();
        optional(g, "backupId", r.backupId());
        if (r.hasUndo()) {
            g.writeObjectFieldStart("undo");
            optional(g, "command", r.undoCommand());
            strings(g, "aws", r.undoAws());
            g.writeEndObject();
        }
        optional(g, "reason", r.reason());
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String field, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(field, value.get());
        }
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /**
     * Parses the document, saying what was expected and what was found when it is not this schema. Read with the
     * policy reader, which the function has loaded already, rather than a Jackson object mapper.
     */
    static AlertDocument read(String json) {
        Node root;
        try {
            root = NodeReader.readJson(json);
        } catch (NodeReadException e) {
            throw new IllegalArgumentException("expected the alert JSON (" + SCHEMA + ") but the message is not JSON: "
                    + e.getMessage() + " at line " + e.at().line() + ", column " + e.at().column());
        }
        if (!(root instanceof Node.Obj)) {
            throw new IllegalArgumentException("expected the alert JSON (" + SCHEMA + ") to be an object but found "
                    + root.kind());
        }
        String schema = text(root, "schema").orElse("");
        if (!schema.equals(SCHEMA)) {
            throw new IllegalArgumentException("expected an alert of schema `" + SCHEMA + "` but found schema `" + schema + "`");
        }
        Node e = member(root, "event");
        Event event = new Event(text(e, "id").orElse("unknown"), text(e, "name").orElse("unknown"), text(e, "time"),
                text(e, "account"), text(e, "accountName"));
        List<OtherEvent> others = new ArrayList<>();
        for (Node o : elements(member(root, "otherEvents"))) {
            others.add(new OtherEvent(text(o, "id").orElse("unknown"), text(o, "name").orElse("unknown"),
                    text(o, "time"), text(o, "actor").orElse("unknown")));
        }
        Node a = member(root, "actor");
        Actor actor = new Actor(text(a, "type").orElse("unknown"), text(a, "arn"), text(a, "sessionIssuer"),
                text(a, "sourceIp"), text(a, "userAgent"), flag(member(a, "mfa")));
        List<Finding> findings = new ArrayList<>();
        for (Node f : elements(member(root, "findings"))) {
            findings.add(finding(f));
        }
        Map<String, Long> notShown = new LinkedHashMap<>();
        if (member(root, "findingsNotShown") instanceof Node.Obj counts) {
            counts.fields().forEach((rule, count) -> notShown.put(rule, count(count)));
        }
        return new AlertDocument(text(root, "summary").orElse(""), text(root, "severity").orElse("INFO"),
                text(root, "verdict"), event, actor, text(root, "target"), findings, notShown,
                strings(member(root, "newAccess")), strings(member(root, "notes")),
                remediation(member(root, "remediation")), others);
    }

    private static Finding finding(Node f) {
        Node at = member(f, "location");
        Optional<Location> location = at instanceof Node.Obj ? Optional.of(location(at)) : Optional.empty();
        List<Related> related = new ArrayList<>();
        for (Node r : elements(member(f, "related"))) {
            related.add(new Related(text(r, "source").orElse(""), location(r)));
        }
        return new Finding(text(f, "ruleId").orElse("UNKNOWN"), text(f, "severity").orElse("INFO"),
                text(f, "title").orElse(""), text(f, "message").orElse(""), text(f, "source"), text(f, "principal"),
                location, text(f, "remediation").orElse(""), text(f, "severityLoweredBecause"), related,
                text(f, "fingerprint"));
    }

    private static Location location(Node n) {
        return new Location(text(n, "pointer").orElse(""), count(member(n, "line")), count(member(n, "column")));
    }

    private static Remediation remediation(Node node) {
        if (node == null || node instanceof Node.Null) {
            return Remediation.none();
        }
        if (!(node instanceof Node.Obj)) {
            String scalar = Node.scalarText(node);
            return Remediation.sentence(scalar != null ? scalar : NodeWriter.toJson(node));
        }
        List<Remediation.Action> actions = new ArrayList<>();
        for (Node a : elements(member(node, "actions"))) {
            actions.add(new Remediation.Action(text(a, "action").orElse("ACTION"), text(a, "target"),
                    text(a, "status"), text(a, "detail")));
        }
        Node undo = member(node, "undo");
        Optional<String> command = undo instanceof Node.Str s ? Optional.of(s.value()) : text(undo, "command");
        return new Remediation(Optional.empty(), text(node, "mode"), text(node, "status"), text(node, "summary"),
                actions, text(node, "backupId"), command, strings(member(undo, "aws")), text(node, "reason"));
    }

    /** A member of an object, or null when the node is not an object or has no such member. */
    private static Node member(Node node, String field) {
        return node instanceof Node.Obj o ? o.get(field) : null;
    }

    /** A scalar member as text; empty when it is missing, null, an object or an array. */
    private static Optional<String> text(Node node, String field) {
        return Optional.ofNullable(Node.scalarText(member(node, field)));
    }

    /** The items of an array, or the member values of an object; nothing for anything else. */
    private static Iterable<Node> elements(Node node) {
        if (node instanceof Node.Arr a) {
            return a.items();
        }
        return node instanceof Node.Obj o ? o.fields().values() : List.of();
    }

    /** Strings of an array (an object or array among them as its JSON), or the one string given. */
    private static List<String> strings(Node node) {
        List<String> out = new ArrayList<>();
        if (node instanceof Node.Arr array) {
            for (Node v : array.items()) {
                String scalar = Node.scalarText(v);
                out.add(scalar != null ? scalar : v instanceof Node.Null ? "null" : NodeWriter.toJson(v));
            }
        } else if (node instanceof Node.Str s) {
            out.add(s.value());
        }
        return out;
    }

    private static boolean flag(Node node) {
        if (node instanceof Node.Bool b) {
            return b.value();
        }
        if (node instanceof Node.Str s) {
            return s.value().trim().equals("true");
        }
        if (node instanceof Node.Num n) {
            try {
                return new BigDecimal(n.text()).signum() != 0;
            } catch (NumberFormatException outOfRange) {
                return false; // an exponent beyond any decimal: not a flag anyone set
            }
        }
        return false;
    }

    private static long count(Node node) {
        String text = Node.scalarText(node);
        if (text == null) {
            return 0;
        }
        try {
            return new BigDecimal(text.trim()).longValue();
        } catch (NumberFormatException notANumber) {
            return 0; // a count that is not a number is shown as none rather than failing the whole alert
        }
    }
}
