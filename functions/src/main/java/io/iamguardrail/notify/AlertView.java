package io.iamguardrail.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** Parses the {@code default} document; the error says what was expected and what was found. */
    public static AlertView parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("expected the alert JSON (" + SCHEMA + ") but the message is not JSON: "
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected the alert JSON (" + SCHEMA + ") to be an object but found "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        String schema = root.path("schema").asText("");
        if (!schema.equals(SCHEMA)) {
            throw new IllegalArgumentException("expected an alert of schema `" + SCHEMA + "` but found schema `" + schema + "`");
        }
        JsonNode e = root.path("event");
        Event event = new Event(text(e, "id").orElse("unknown"), text(e, "name").orElse("unknown"), text(e, "time"),
                text(e, "account"));
        JsonNode a = root.path("actor");
        Actor actor = new Actor(text(a, "type").orElse("unknown"), text(a, "arn"), text(a, "sessionIssuer"),
                text(a, "sourceIp"), text(a, "userAgent"), a.path("mfa").asBoolean(false));
        List<Finding> findings = new ArrayList<>();
        for (JsonNode f : root.path("findings")) {
            findings.add(new Finding(text(f, "ruleId").orElse("UNKNOWN"), text(f, "severity").orElse("INFO"),
                    text(f, "title").orElse(""), text(f, "message").orElse(""), text(f, "remediation").orElse(""),
                    text(f, "principal"), text(f, "severityLoweredBecause")));
        }
        Map<String, Long> notShown = new LinkedHashMap<>();
        root.path("findingsNotShown").fields().forEachRemaining(x -> notShown.put(x.getKey(), x.getValue().asLong()));
        return new AlertView(text(root, "summary").orElse(""), text(root, "severity").orElse("INFO"), event, actor,
                text(root, "target"), findings, notShown, strings(root.path("newAccess")), strings(root.path("notes")),
                Remediation.from(root.path("remediation")));
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? Optional.empty() : Optional.of(v.asText());
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(v -> out.add(v.isContainerNode() ? v.toString() : v.asText()));
        } else if (array.isTextual()) {
            out.add(array.asText());
        }
        return out;
    }
}
