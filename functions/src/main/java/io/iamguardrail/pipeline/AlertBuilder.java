package io.iamguardrail.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.FindingJson;
import io.iamguardrail.engine.Severity;
import io.iamguardrail.event.Actor;
import io.iamguardrail.event.CloudTrailEvent;

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
    private static final JsonFactory JSON = new JsonFactory();

    private AlertBuilder() {
    }

    public static Alert build(Decision d, String remediation) {
        CloudTrailEvent e = d.event().orElseThrow();
        List<Finding> findings = d.findings().stream().sorted(Comparator.comparing(Finding::severity)).toList();
        Severity worst = findings.isEmpty() ? Severity.INFO : findings.get(0).severity();
        String summary = summary(d, e, findings);
        String subject = truncate("[" + worst + "] " + summary, MAX_SUBJECT);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("severity", worst.name());
        attributes.put("ruleIds", findings.stream().map(Finding::ruleId).distinct().collect(Collectors.joining(",")));
        attributes.put("account", e.account().orElse("unknown"));
        attributes.put("eventName", e.eventName());
        return new Alert(subject, json(d, e, findings, worst, summary, remediation), email(d, e, findings, worst,
                summary, remediation), attributes);
    }

    /** {@code alice} AttachRolePolicy on role deploy: Administrator access (and 2 more findings). */
    static String summary(Decision d, CloudTrailEvent e, List<Finding> findings) {
        String what = findings.isEmpty() ? "no finding" : findings.get(0).title()
                + (findings.size() > 1 ? " (and " + (findings.size() - 1) + " more)" : "");
        return e.actor().display() + " " + e.eventName() + d.target().map(t -> " on " + t).orElse("") + ": " + what;
    }

    private static String json(Decision d, CloudTrailEvent e, List<Finding> findings, Severity worst, String summary,
                               String remediation) {
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
            strings(g, "newAccess", d.newAccess());
            strings(g, "notes", d.notes());
            g.writeStringField("remediation", remediation);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    private static String email(Decision d, CloudTrailEvent e, List<Finding> findings, Severity worst, String summary,
                                String remediation) {
        StringBuilder sb = new StringBuilder();
        sb.append(worst).append(": ").append(summary).append("\n\n");
        Actor a = e.actor();
        sb.append("Who:   ").append(a.arn().orElse(a.type())).append(" (").append(a.type())
                .append(a.mfa() ? ", MFA" : ", no MFA").append(")\n");
        a.sourceIp().ifPresent(ip -> sb.append("From:  ").append(ip).append('\n'));
        a.userAgent().ifPresent(ua -> sb.append("Using: ").append(ua).append('\n'));
        sb.append("What:  ").append(e.eventName()).append(d.target().map(t -> " on " + t).orElse("")).append('\n');
        sb.append("Where: account ").append(e.account().orElse("unknown")).append(e.eventTime().map(t -> ", " + t).orElse(""))
                .append(", event ").append(e.eventId()).append("\n\n");
        sb.append("Findings:\n");
        for (Finding f : findings) {
            sb.append("- ").append(f.severity()).append(' ').append(f.ruleId()).append(": ").append(f.message()).append('\n');
            sb.append("  Fix: ").append(f.remediation()).append('\n');
        }
        if (!d.newAccess().isEmpty()) {
            sb.append("\nNew access:\n");
            d.newAccess().forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        if (!d.notes().isEmpty()) {
            sb.append("\nNotes:\n");
            d.notes().forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        sb.append("\nRemediation: ").append(remediation).append('\n');
        return sb.toString();
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

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
