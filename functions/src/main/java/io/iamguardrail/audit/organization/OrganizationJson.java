package io.iamguardrail.audit.organization;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iamguardrail.config.Severity;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The organization report as JSON ({@code schema: iam-guardrail/org-audit/1}): totals, then one entry per account
 * (status, counts by severity, new and resolved findings, the reason when it failed), then the worst principals
 * across the organization.
 */
public final class OrganizationJson {

    private OrganizationJson() {
    }

    public static String write(OrganizationReport r, String tool) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("schema", OrganizationReport.SCHEMA);
            g.writeStringField("tool", tool);
            g.writeStringField("date", r.date());
            g.writeStringField("generatedAt", r.generatedAt().toString());
            g.writeObjectFieldStart("summary");
            g.writeNumberField("accounts", r.accounts().size());
            g.writeNumberField("audited", r.with(AccountRow.Status.AUDITED).size());
            g.writeNumberField("failed", r.with(AccountRow.Status.FAILED).size());
            g.writeNumberField("missing", r.with(AccountRow.Status.MISSING).size());
            g.writeNumberField("findings", r.findings());
            g.writeNumberField("new", r.newCount());
            g.writeNumberField("resolved", r.resolvedCount());
            counts(g, r.severityCounts());
            g.writeEndObject();
            g.writeArrayFieldStart("accounts");
            for (AccountRow a : r.accounts()) {
                account(g, a);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("worst");
            for (WorstPrincipal p : r.worst()) {
                g.writeStartObject();
                g.writeStringField("account", p.account());
                g.writeStringField("accountName", p.accountName());
                g.writeStringField("principal", p.arn());
                g.writeStringField("kind", p.kind());
                g.writeStringField("worst", p.worst().name());
                g.writeNumberField("findings", p.findings());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }

    private static void account(JsonGenerator g, AccountRow a) throws IOException {
        g.writeStartObject();
        g.writeStringField("account", a.account().id());
        g.writeStringField("name", a.account().name());
        g.writeStringField("status", a.status().name());
        if (a.reason().isPresent()) {
            g.writeStringField("reason", a.reason().get());
        }
        if (a.generatedAt().isPresent()) {
            g.writeStringField(a.status() == AccountRow.Status.AUDITED ? "generatedAt" : "failedAt", a.generatedAt().get());
        }
        if (a.status() == AccountRow.Status.AUDITED) {
            g.writeNumberField("principalsScanned", a.principalsScanned());
            g.writeNumberField("findings", a.findings());
            g.writeNumberField("new", a.newCount());
            g.writeNumberField("resolved", a.resolvedCount());
            counts(g, a.bySeverity());
            changes(g, "newFindings", a.newFindings());
            changes(g, "resolvedFindings", a.resolvedFindings());
        }
        g.writeEndObject();
    }

    private static void counts(JsonGenerator g, Map<Severity, Integer> counts) throws IOException {
        g.writeObjectFieldStart("bySeverity");
        for (Map.Entry<Severity, Integer> e : counts.entrySet()) {
            g.writeNumberField(e.getKey().name(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void changes(JsonGenerator g, String field, List<AccountRow.Change> changes) throws IOException {
        g.writeArrayFieldStart(field);
        for (AccountRow.Change c : changes) {
            g.writeStartObject();
            g.writeStringField("principal", c.principal());
            g.writeStringField("ruleId", c.ruleId());
            g.writeStringField("severity", c.severity());
            g.writeStringField("message", c.message());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
