package io.iamguardrail.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iamguardrail.config.Severity;
import io.iamguardrail.notify.AlertAttributes;
import io.iamguardrail.pipeline.Alert;
import io.iamguardrail.text.VisibleText;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The one SNS message a scheduled audit publishes: counts by severity, the ten worst principals, what changed since
 * the last report, and where the full report is. Same structure as the real-time alerts (JSON {@code default},
 * text {@code email}, filterable attributes with {@code eventName} {@code ScheduledAudit}).
 */
public final class AuditSummary {

    public static final String EVENT_NAME = "ScheduledAudit";
    static final int CHANGES_LISTED = 20;

    private AuditSummary() {
    }

    public static Alert of(AuditReport r, String location) {
        Map<Severity, Integer> counts = r.severityCounts();
        String account = r.accountId().orElse("unknown account");
        String subject = "IAM Guardrail audit of " + account + ": " + counts.get(Severity.CRITICAL) + " critical, "
                + counts.get(Severity.HIGH) + " high, " + r.newCount() + " new";
        String worst = r.principals().isEmpty() ? "" : r.principals().stream()
                .map(AuditReport.PrincipalResult::worst).min(Enum::compareTo).get().name();
        TreeSet<String> ids = new TreeSet<>();
        r.findings().forEach(f -> ids.add(f.ruleId()));
        AlertAttributes attributes = new AlertAttributes(worst, List.copyOf(ids), r.accountId().orElse(""), EVENT_NAME);
        return new Alert(subject.length() > 100 ? subject.substring(0, 100) : subject, json(r, location), email(r, location), attributes);
    }

    private static String email(AuditReport r, String location) {
        StringBuilder out = new StringBuilder(AuditText.summary(r)).append('\n');
        RootCauses causes = RootCauses.of(r);
        if (!causes.fixes().isEmpty()) {
            out.append(causes.headline()).append("\n\nFix these first:\n");
            int k = 1;
            for (RootCauses.Fix f : causes.top()) {
                out.append(String.format("%2d. %-8s %s: %s (clears %d principal%s)%n", k++, f.worst(),
                        VisibleText.line(f.label()), f.document().action(), f.clears().size(), f.clears().size() == 1 ? "" : "s"));
            }
        }
        out.append("\nTen worst principals:\n");
        int n = 1;
        for (AuditReport.PrincipalResult p : r.worst(10)) {
            out.append(String.format("%2d. %-8s %s %s (%s)%n", n++, p.worst(), p.kind().name().toLowerCase(), p.arn(), AuditText.counts(p)));
        }
        List<AuditReport.Item> fresh = fresh(r);
        if (r.previous().isPresent()) {
            out.append("\nNew since the last report (").append(fresh.size()).append("):\n");
            fresh.stream().limit(CHANGES_LISTED).forEach(i -> out.append("  ").append(i.finding().severity()).append(' ')
                    .append(i.finding().ruleId()).append("  ").append(i.finding().message()).append('\n'));
            out.append("Resolved since the last report (").append(r.resolved().size()).append("):\n");
            r.resolved().stream().limit(CHANGES_LISTED).forEach(x -> out.append("  ").append(x.severity()).append(' ')
                    .append(x.ruleId()).append("  ").append(x.message()).append('\n'));
        }
        out.append("\nFull report (JSON and HTML): ").append(location).append('\n');
        return out.toString();
    }

    private static List<AuditReport.Item> fresh(AuditReport r) {
        return r.principals().stream().flatMap(p -> p.findings().stream()).filter(AuditReport.Item::isNew).toList();
    }

    private static String json(AuditReport r, String location) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("schema", "iam-guardrail/audit-summary/1");
            g.writeStringField("eventName", EVENT_NAME);
            g.writeStringField("account", r.accountId().orElse(""));
            g.writeStringField("generatedAt", r.generatedAt().toString());
            g.writeStringField("report", location);
            g.writeNumberField("principalsScanned", r.principalsScanned());
            g.writeNumberField("findings", r.findingCount());
            RootCauses causes = RootCauses.of(r);
            g.writeNumberField("problems", causes.problems());
            g.writeStringField("fixFirst", causes.headline());
            g.writeObjectFieldStart("bySeverity");
            for (var e : r.severityCounts().entrySet()) {
                g.writeNumberField(e.getKey().name(), e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("worst");
            for (AuditReport.PrincipalResult p : r.worst(10)) {
                g.writeStartObject();
                g.writeStringField("arn", p.arn());
                g.writeStringField("kind", p.kind().name());
                g.writeStringField("worst", p.worst().name());
                g.writeNumberField("findings", p.findings().size());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("changes");
            g.writeBooleanField("comparedWithPrevious", r.previous().isPresent());
            g.writeNumberField("new", r.newCount());
            g.writeNumberField("resolved", r.resolved().size());
            g.writeArrayFieldStart("newFindings");
            for (AuditReport.Item i : fresh(r).stream().limit(CHANGES_LISTED).toList()) {
                g.writeStartObject();
                g.writeStringField("fingerprint", i.fingerprint());
                g.writeStringField("severity", i.finding().severity().name());
                g.writeStringField("ruleId", i.finding().ruleId());
                g.writeStringField("message", i.finding().message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("resolvedFindings");
            for (AuditReport.Resolved x : r.resolved().stream().limit(CHANGES_LISTED).toList()) {
                g.writeStartObject();
                g.writeStringField("fingerprint", x.fingerprint());
                g.writeStringField("severity", x.severity());
                g.writeStringField("ruleId", x.ruleId());
                g.writeStringField("message", x.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
