package io.iamguardrail.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.FindingJson;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The report as JSON ({@code schema: iam-guardrail/audit/1}): summary, the principals with findings (worst first),
 * then every finding in the shape {@code check} prints plus {@code principal}, {@code fingerprint} and {@code status}
 * (new or known). The next
 * run reads it back as its {@link PreviousReport}.
 */
public final class AuditJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuditJson() {
    }

    public static String write(AuditReport r, String tool) {
        // Sized for the report (about 900 characters a finding) and copied once: for an account of 5,000 roles the
        // text is tens of megabytes, and a buffer that doubles as it grows, copied twice, outgrew the heap of a
        // 1,024 MB function (bench/audit-heap.sh).
        StringWriter out = new StringWriter(4096 + r.findingCount() * 1000 + r.principals().size() * 200
                + r.cleanPrincipals().size() * 80);
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("schema", AuditReport.SCHEMA);
            g.writeStringField("tool", tool);
            g.writeStringField("generatedAt", r.generatedAt().toString());
            if (r.accountId().isPresent()) {
                g.writeStringField("account", r.accountId().get());
            }
            g.writeNumberField("unusedDays", r.unusedDays());
            g.writeBooleanField("accessAdvisor", r.accessAdvisorUsed());
            g.writeObjectFieldStart("summary");
            g.writeNumberField("principalsScanned", r.principalsScanned());
            g.writeNumberField("principalsWithFindings", r.principals().size());
            g.writeNumberField("findings", r.findingCount());
            g.writeNumberField("new", r.newCount());
            g.writeNumberField("resolved", r.resolved().size());
            g.writeObjectFieldStart("bySeverity");
            for (Map.Entry<Severity, Integer> e : r.severityCounts().entrySet()) {
                g.writeNumberField(e.getKey().name(), e.getValue());
            }
            g.writeEndObject();
            if (r.previous().isPresent()) {
                g.writeStringField("comparedWith", r.previous().get().toString());
            }
            g.writeArrayFieldStart("worst");
            for (AuditReport.PrincipalResult p : r.worst(10)) {
                g.writeString(p.arn());
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("principals");
            for (AuditReport.PrincipalResult p : r.principals()) {
                g.writeStartObject();
                g.writeStringField("arn", p.arn());
                g.writeStringField("name", p.name());
                g.writeStringField("kind", p.kind().name());
                g.writeStringField("worst", p.worst().name());
                g.writeNumberField("findings", p.findings().size());
                g.writeNumberField("new", p.newCount());
                g.writeEndObject();
            }
            g.writeEndArray();
            // One flat list, as `check` prints it, each finding naming its principal; worst principals first.
            g.writeArrayFieldStart("findings");
            for (AuditReport.PrincipalResult p : r.principals()) {
                for (AuditReport.Item i : p.findings()) {
                    finding(g, p, i);
                }
            }
            g.writeEndArray();
            PathsReport.json(g, r.paths());
            g.writeArrayFieldStart("resolved");
            for (AuditReport.Resolved x : r.resolved()) {
                g.writeStartObject();
                g.writeStringField("fingerprint", x.fingerprint());
                g.writeStringField("principal", x.principal());
                g.writeStringField("ruleId", x.ruleId());
                g.writeStringField("severity", x.severity());
                g.writeStringField("message", x.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("cleanPrincipals");
            for (String arn : r.cleanPrincipals()) {
                g.writeString(arn);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("notes");
            for (String n : r.notes()) {
                g.writeString(n);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A finding as FindingJson writes it, with the fingerprint and status fields added before it closes. */
    private static void finding(JsonGenerator g, AuditReport.PrincipalResult p, AuditReport.Item i) throws IOException {
        StringWriter one = new StringWriter();
        try (JsonGenerator sub = new JsonFactory().createGenerator(one)) {
            FindingJson.write(sub, i.finding());
        }
        ObjectNode node = (ObjectNode) MAPPER.readTree(one.toString());
        node.put("principal", p.arn());
        node.put("fingerprint", i.fingerprint());
        node.put("status", i.isNew() ? "new" : "known");
        i.alerted().ifPresent(a -> {
            ObjectNode rt = node.putObject("alertedInRealTime");
            rt.put("eventId", a.eventId());
            rt.put("alertedAt", a.alertedAt().toString());
            rt.put("severity", a.severity());
        });
        MAPPER.writeTree(g, node);
    }

    /** Reads a report this class wrote, for its fingerprints; anything else is an error that says what was found. */
    public static PreviousReport readPrevious(String json, String where) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": expected an audit report (JSON) but found unreadable text: " + e.getMessage());
        }
        if (root == null || !AuditReport.SCHEMA.equals(root.path("schema").asText())) {
            throw new IllegalArgumentException(where + ": expected an audit report with schema `" + AuditReport.SCHEMA
                    + "` but found `" + (root == null ? "" : root.path("schema").asText()) + "`");
        }
        Map<String, AuditReport.Resolved> findings = new LinkedHashMap<>();
        for (JsonNode f : root.path("findings")) {
            String fp = f.path("fingerprint").asText();
            if (!fp.isEmpty()) {
                findings.put(fp, new AuditReport.Resolved(fp, f.path("principal").asText(""), f.path("ruleId").asText(),
                        f.path("severity").asText(), f.path("message").asText()));
            }
        }
        Optional<Instant> at;
        try {
            at = Optional.of(Instant.parse(root.path("generatedAt").asText()));
        } catch (DateTimeParseException e) {
            at = Optional.empty();
        }
        return new PreviousReport(at, findings);
    }

}
