package io.iamguardrail.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.FindingJson;
import io.iamguardrail.config.Severity;
import io.iamguardrail.event.Actor;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.notify.AlertView;
import io.iamguardrail.notify.EmailRenderer;
import io.iamguardrail.remediation.RemediationReport;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Turns a decision into the alert a person reads in ten seconds and a machine can filter on. */
public final class AlertBuilder {

    public static final String SCHEMA = "iam-guardrail/alert/1";
    static final int MAX_SUBJECT = 99;
    /**
     * Findings listed in one alert. SNS takes at most 256 KB per message, JSON and e-mail together, and a padded
     * policy can yield a thousand findings: the rest are counted by rule, never allowed to make the alert unsendable.
     */
    static final int MAX_FINDINGS = 25;
    private static final JsonFactory JSON = new JsonFactory();

    private AlertBuilder() {
    }

    public static Alert build(Decision d, RemediationReport remediation) {
        CloudTrailEvent e = d.event().orElseThrow();
        List<Finding> all = d.findings().stream().sorted(Comparator.comparing(Finding::severity)).toList();
        List<Finding> findings = all.size() > MAX_FINDINGS ? all.subList(0, MAX_FINDINGS) : all;
        Map<String, Long> omitted = all.subList(findings.size(), all.size()).stream()
                .collect(Collectors.groupingBy(Finding::ruleId, LinkedHashMap::new, Collectors.counting()));
        Severity worst = all.isEmpty() ? Severity.INFO : all.get(0).severity();
        String summary = summary(d, e, all);
        // A remediation that was due and failed needs a person now: it says so first, at the highest severity.
        if (remediation.failed()) {
            worst = Severity.CRITICAL;
            summary = "REMEDIATION " + remediation.status() + ": " + summary;
        }
        String subject = subject("[" + worst + "] " + summary);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("severity", worst.name());
        // A JSON array, published as String.Array, so that a filter policy can match a single rule id.
        attributes.put("ruleIds", all.stream().map(Finding::ruleId).distinct().map(id -> "\"" + id + "\"")
                .collect(Collectors.joining(",", "[", "]")));
        attributes.put("account", e.account().orElse("unknown"));
        attributes.put("eventName", e.eventName());
        String json = json(d, e, findings, omitted, worst, summary, remediation);
        // The e-mail is rendered from the JSON document, like the Slack message: both carry the same facts.
        return new Alert(subject, json, EmailRenderer.render(AlertView.parse(json)), attributes);
    }

    /** {@code alice} AttachRolePolicy on role deploy: Administrator access (and 2 more findings). */
    static String summary(Decision d, CloudTrailEvent e, List<Finding> findings) {
        String what = findings.isEmpty() ? "no finding" : findings.get(0).title()
                + (findings.size() > 1 ? " (and " + (findings.size() - 1) + " more)" : "");
        return e.actor().display() + " " + e.eventName() + d.target().map(t -> " on " + t).orElse("") + ": " + what;
    }

    private static String json(Decision d, CloudTrailEvent e, List<Finding> findings, Map<String, Long> omitted,
                               Severity worst, String summary, RemediationReport remediation) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("summary", summary);
            g.writeStringField("severity", worst.name());
            g.writeStringField("verdict", d.verdict().name());
            g.writeObjectFieldStart("event");
            g.writeStringField("id", e.eventId());
            g.writeStringField("name", e.eventName());
            optional(g, "time", e.eventTime());
            optional(g, "account", e.account());
            g.writeEndObject();
            Actor a = e.actor();
            g.writeObjectFieldStart("actor");
            g.writeStringField("type", a.type());
            optional(g, "arn", a.arn());
            optional(g, "sessionIssuer", a.sessionIssuerArn());
            optional(g, "sourceIp", a.sourceIp());
            optional(g, "userAgent", a.userAgent());
            g.writeBooleanField("mfa", a.mfa());
            g.writeEndObject();
            optional(g, "target", d.target());
            g.writeArrayFieldStart("findings");
            for (Finding f : findings) {
                FindingJson.write(g, f);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("findingsNotShown");
            for (Map.Entry<String, Long> o : omitted.entrySet()) {
                g.writeNumberField(o.getKey(), o.getValue());
            }
            g.writeEndObject();
            strings(g, "newAccess", d.newAccess());
            strings(g, "notes", d.notes());
            g.writeFieldName("remediation");
            remediation.write(g);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
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

    /** SNS subjects: printable ASCII, under 100 characters; "..." marks a cut. */
    static String subject(String s) {
        StringBuilder ascii = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        String out = ascii.toString();
        return out.length() <= MAX_SUBJECT ? out : out.substring(0, MAX_SUBJECT - 3) + "...";
    }
}
