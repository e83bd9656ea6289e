package io.iamguardrail.notify;

import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.NodeWriter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alert as the notifiers read it: the {@code default} document of the SNS message (schema
 * {@code iam-guardrail/alert/1}). Tolerant like the event decoder: a missing field is empty, never an error; only a
 * document that is not JSON, or not this schema, is rejected.
 */
public record AlertView(String summary, String severity, Event event, Actor actor, Optional<String> target,
                        List<Finding> findings, Map<String, Long> findingsNotShown, List<String> newAccess,
                        List<String> notes, Remediation remediation) {

    public static final String SCHEMA = "iam-guardrail/alert/1";

    public AlertView {
        findings = List.copyOf(findings);
        findingsNotShown = Map.copyOf(findingsNotShown);
        newAccess = List.copyOf(newAccess);
        notes = List.copyOf(notes);
    }

    /** {@code detail.eventID}, name, time and account of the CloudTrail event. */
    public record Event(String id, String name, Optional<String> time, Optional<String> account) {
    }

    /** Who made the call. */
    public record Actor(String type, Optional<String> arn, Optional<String> sessionIssuer, Optional<String> sourceIp,
                        Optional<String> userAgent, boolean mfa) {

        /**
         * A short name for people, as the evaluator's summary uses it: {@code root}, the user name, or for an
         * assumed role the session name with the role ({@code alice@example.com (AWSReservedSSO_Admin_0123)}).
         */
        public String display() {
            if ("Root".equals(type)) {
                return "root";
            }
            if (arn.isEmpty()) {
                return type;
            }
            String a = arn.get();
            int assumed = a.indexOf(":assumed-role/");
            if (assumed >= 0) {
                String[] parts = a.substring(assumed + 14).split("/", 2);
                return parts.length == 2 ? parts[1] + " (" + parts[0] + ")" : parts[0];
            }
            int user = a.indexOf(":user/");
            return user >= 0 ? a.substring(a.lastIndexOf('/') + 1) : a;
        }
    }

    /** One finding as the alert lists it. */
    public record Finding(String ruleId, String severity, String title, String message, String remediation,
                          Optional<String> principal, Optional<String> severityLoweredBecause) {
    }

    /** The alert's severity, {@code INFO} when it is missing or unknown. */
    public Severity level() {
        return Severity.of(severity);
    }

    /**
     * Parses the {@code default} document; the error says what was expected and what was found. Read with the
     * policy reader rather than a Jackson object mapper: the evaluator renders every alert's e-mail from this view,
     * and the mapper's classes were its largest single cost before the first event.
     */
    public static AlertView parse(String json) {
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
                text(e, "account"));
        Node a = member(root, "actor");
        Actor actor = new Actor(text(a, "type").orElse("unknown"), text(a, "arn"), text(a, "sessionIssuer"),
                text(a, "sourceIp"), text(a, "userAgent"), flag(member(a, "mfa")));
        List<Finding> findings = new ArrayList<>();
        for (Node f : elements(member(root, "findings"))) {
            findings.add(new Finding(text(f, "ruleId").orElse("UNKNOWN"), text(f, "severity").orElse("INFO"),
                    text(f, "title").orElse(""), text(f, "message").orElse(""), text(f, "remediation").orElse(""),
                    text(f, "principal"), text(f, "severityLoweredBecause")));
        }
        Map<String, Long> notShown = new LinkedHashMap<>();
        if (member(root, "findingsNotShown") instanceof Node.Obj counts) {
            counts.fields().forEach((rule, count) -> notShown.put(rule, count(count)));
        }
        return new AlertView(text(root, "summary").orElse(""), text(root, "severity").orElse("INFO"), event, actor,
                text(root, "target"), findings, notShown, strings(member(root, "newAccess")),
                strings(member(root, "notes")), Remediation.from(member(root, "remediation")));
    }

    /** A member of an object, or null when the node is not an object or has no such member. */
    static Node member(Node node, String field) {
        return node instanceof Node.Obj o ? o.get(field) : null;
    }

    /** A scalar member as text; empty when it is missing, null, an object or an array. */
    static Optional<String> text(Node node, String field) {
        return Optional.ofNullable(Node.scalarText(member(node, field)));
    }

    /** The items of an array, or the member values of an object; nothing for anything else. */
    static Iterable<Node> elements(Node node) {
        if (node instanceof Node.Arr a) {
            return a.items();
        }
        return node instanceof Node.Obj o ? o.fields().values() : List.of();
    }

    /** Strings of an array (an object or array among them as its JSON), or the one string given. */
    static List<String> strings(Node node) {
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
                return new java.math.BigDecimal(n.text()).signum() != 0;
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
            return new java.math.BigDecimal(text.trim()).longValue();
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }
}
