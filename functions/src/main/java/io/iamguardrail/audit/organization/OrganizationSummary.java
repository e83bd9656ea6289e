package io.iamguardrail.audit.organization;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.config.Severity;
import io.iamguardrail.notify.AlertAttributes;
import io.iamguardrail.pipeline.Alert;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.iamguardrail.text.VisibleText.line;

/**
 * The one SNS message of an organization audit: totals by severity, the accounts not audited and why, the worst
 * principals, and where the report is. Filterable like the account summary, with {@code eventName}
 * {@code OrganizationAudit}; no account publishes a summary of its own. Account names are the member accounts' own
 * choice: in the e-mail their control and format characters are shown as escapes, as in every alert.
 */
public final class OrganizationSummary {

    public static final String EVENT_NAME = "OrganizationAudit";
    static final int WORST_LISTED = 10;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OrganizationSummary() {
    }

    public static Alert of(OrganizationReport r, String location) {
        Map<Severity, Integer> counts = r.severityCounts();
        String subject = "IAM Guardrail audit of the organization: " + counts.get(Severity.CRITICAL) + " critical, "
                + counts.get(Severity.HIGH) + " high, " + r.unverified().size() + " accounts not audited";
        String worst = r.worst().isEmpty() ? "" : r.worst().get(0).worst().name();
        TreeSet<String> ids = new TreeSet<>();
        r.accounts().forEach(a -> a.newFindings().forEach(c -> ids.add(c.ruleId())));
        AlertAttributes attributes = new AlertAttributes(worst, List.copyOf(ids), "", EVENT_NAME);
        return new Alert(subject.length() > 100 ? subject.substring(0, 100) : subject, json(r, location),
                email(r, location), attributes);
    }

    private static String email(OrganizationReport r, String location) {
        StringBuilder out = new StringBuilder(OrganizationText.summary(r)).append('\n');
        if (!r.unverified().isEmpty()) {
            out.append("\nNot audited (state unknown, not clean):\n");
            r.unverified().forEach(a -> out.append("  ").append(a.account().id()).append(' ').append(line(a.account().name()))
                    .append(": ").append(line(a.reason().orElse(""))).append('\n'));
        }
        out.append("\nWorst principals:\n");
        r.worst().stream().limit(WORST_LISTED).forEach(p -> out.append(String.format("  %-8s %s %s (%d findings)%n",
                p.worst(), p.account(), line(p.arn()), p.findings())));
        return out.append("\nFull report (JSON and HTML): ").append(location).append('\n').toString();
    }

    private static String json(OrganizationReport r, String location) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("schema", "iam-guardrail/org-audit-summary/1").put("eventName", EVENT_NAME).put("date", r.date())
                .put("generatedAt", r.generatedAt().toString()).put("report", location)
                .put("accounts", r.accounts().size()).put("audited", r.with(AccountRow.Status.AUDITED).size())
                .put("findings", r.findings()).put("new", r.newCount()).put("resolved", r.resolvedCount());
        ObjectNode bySeverity = o.putObject("bySeverity");
        r.severityCounts().forEach((s, n) -> bySeverity.put(s.name(), n));
        ArrayNode failed = o.putArray("notAudited");
        r.unverified().forEach(a -> failed.addObject().put("account", a.account().id()).put("name", a.account().name())
                .put("status", a.status().name()).put("reason", a.reason().orElse("")));
        ArrayNode worst = o.putArray("worst");
        r.worst().stream().limit(WORST_LISTED).forEach(p -> worst.addObject().put("account", p.account())
                .put("principal", p.arn()).put("worst", p.worst().name()).put("findings", p.findings()));
        return o.toString();
    }
}
