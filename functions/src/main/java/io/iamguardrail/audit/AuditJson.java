package io.iamguardrail.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.FindingJson;
import io.iamguardrail.notify.ConsoleLinks;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The report as JSON ({@code schema: iam-guardrail/audit/1}): summary, the principals with findings (worst first),
 * then every finding in the shape {@code check} prints plus {@code principal}, {@code fingerprint}, {@code status}
 * (new or known) and {@code rootCause}; the fixes grouped by root cause ({@code rootCauses},
 * {@link RootCauses}) and the exemptions in force. The next
 * run reads it back as its {@link PreviousReport}.
 */
public final class AuditJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * The fixes listed in {@code rootCauses}, worst first; every finding names its own ({@code rootCause}). All 8,378
     * fixes of a 5,000-role account made its report a quarter longer, more than a 1,024 MB function's heap can hold
     * while it writes the text (bench/audit-heap.sh).
     */
    static final int ROOT_CAUSES_LISTED = 100;

    private AuditJson() {
    }

    public static String write(AuditReport r, String tool) {
        // Sized for the report (about 1,050 characters a finding with its root cause, 360 a principal with its link,
        // tags and last use) and copied once: for an account of 5,000 roles the text is tens of megabytes, and a
        // buffer that doubles as it grows, copied twice, outgrew the heap of a 1,024 MB function (bench/audit-heap.sh).
        StringWriter out = new StringWriter(4096 + r.findingCount() * 1100 + r.principals().size() * 400
                + r.cleanPrincipals().size() * 80);
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            RootCauses causes = RootCauses.of(r);
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
            // Distinct problems next to the per-principal counts: a problem in a policy attached to a group is one
            // problem and a finding on the policy, the group and each user.
            g.writeNumberField("problems", causes.problems());
            g.writeNumberField("problemDocuments", causes.documents());
            g.writeNumberField("fixes", causes.fixes().size());
            g.writeObjectFieldStart("fixFirst");
            g.writeNumberField("top", causes.top().size());
            g.writeNumberField("clearsCriticalOrHigh", causes.criticalOrHighClearedByTop());
            g.writeNumberField("criticalOrHigh", causes.criticalOrHigh());
            g.writeStringField("headline", causes.headline());
            g.writeEndObject();
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
                link(g, p.arn());
                if (p.lastUsed().known()) {
                    g.writeStringField("lastUsed", p.lastUsed().at().map(Object::toString).orElse(null));
                    g.writeStringField("lastUsedSource", p.lastUsed().source());
                }
                g.writeObjectFieldStart("tags");
                for (Map.Entry<String, String> t : p.tags().entrySet()) {
                    g.writeStringField(t.getKey(), t.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            // One flat list, as `check` prints it, each finding naming its principal; worst principals first.
            Map<String, RootCauses.Fix> causeOf = causes.byFingerprint();
            Map<String, Integer> index = new HashMap<>();
            g.writeArrayFieldStart("findings");
            for (AuditReport.PrincipalResult p : r.principals()) {
                for (AuditReport.Item i : p.findings()) {
                    index.putIfAbsent(i.fingerprint(), index.size());
                    finding(g, p, i, Optional.ofNullable(causeOf.get(i.fingerprint())).map(RootCauses.Fix::id).orElse(null));
                }
            }
            g.writeEndArray();
            rootCauses(g, causes, index);
            exemptions(g, r);
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

    /** {@code consoleUrl}: the IAM console page of a principal or managed policy, when it has one. */
    private static void link(JsonGenerator g, String arn) throws IOException {
        Optional<ConsoleLinks.Link> link = ConsoleLinks.fromArn(arn);
        if (link.isPresent()) {
            g.writeStringField("consoleUrl", link.get().url());
        }
    }

    /**
     * The first {@link #ROOT_CAUSES_LISTED} fixes, worst first, each with the distinct problems it removes (with how many
     * findings each is) and the principals it clears.
     */
    private static void rootCauses(JsonGenerator g, RootCauses causes, Map<String, Integer> index) throws IOException {
        g.writeArrayFieldStart("rootCauses");
        for (RootCauses.Fix f : causes.fixes().subList(0, Math.min(ROOT_CAUSES_LISTED, causes.fixes().size()))) {
            g.writeStartObject();
            g.writeStringField("id", f.id());
            g.writeStringField("document", f.document().name());
            g.writeStringField("label", f.label());
            g.writeStringField("action", f.document().action());
            if (f.owner().isPresent()) {
                g.writeStringField("owner", f.owner().get());
            }
            Optional<ConsoleLinks.Link> link = f.consoleArn().flatMap(ConsoleLinks::fromArn);
            if (link.isPresent()) {
                g.writeStringField("consoleUrl", link.get().url());
            }
            g.writeStringField("worst", f.worst().name());
            g.writeNumberField("findings", f.findings());
            g.writeNumberField("criticalOrHigh", f.criticalOrHigh());
            g.writeArrayFieldStart("clears");
            for (String arn : f.clears()) {
                g.writeString(arn);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("problems");
            for (RootCauses.Problem x : f.problems()) {
                g.writeStartObject();
                g.writeStringField("ruleId", x.ruleId());
                g.writeStringField("severity", x.severity().name());
                // Where `findings` words it (message, location, remediation, fingerprint), and how many findings it
                // is; each finding names its fix (`rootCause`). Repeating every fingerprint and message here grew the
                // report of a 5,000-role account by a fifth (bench/audit-heap.sh).
                g.writeNumberField("finding", index.getOrDefault(x.fingerprints().get(0), -1));
                g.writeNumberField("findings", x.fingerprints().size());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The exemptions in force, with their expiry, reason and where they are declared. */
    private static void exemptions(JsonGenerator g, AuditReport r) throws IOException {
        g.writeArrayFieldStart("exemptions");
        for (GuardrailConfig.Exemption x : r.exemptions()) {
            g.writeStartObject();
            g.writeStringField("principal", x.principal());
            g.writeArrayFieldStart("rules");
            for (String rule : x.rules()) {
                g.writeString(rule);
            }
            g.writeEndArray();
            g.writeStringField("reason", x.reason());
            g.writeStringField("expires", x.expires().map(Object::toString).orElse(null));
            if (!x.declaredAt().isEmpty()) {
                g.writeStringField("declaredAt", x.declaredAt());
            }
            g.writeBooleanField("breakGlass", x.breakGlass());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** A finding as FindingJson writes it, with the fingerprint, status and root cause fields added before it closes. */
    private static void finding(JsonGenerator g, AuditReport.PrincipalResult p, AuditReport.Item i, String rootCause)
            throws IOException {
        StringWriter one = new StringWriter();
        try (JsonGenerator sub = new JsonFactory().createGenerator(one)) {
            FindingJson.write(sub, i.finding());
        }
        ObjectNode node = (ObjectNode) MAPPER.readTree(one.toString());
        node.put("principal", p.arn());
        node.put("fingerprint", i.fingerprint());
        node.put("status", i.isNew() ? "new" : "known");
        if (rootCause != null) {
            node.put("rootCause", rootCause);
        }
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
