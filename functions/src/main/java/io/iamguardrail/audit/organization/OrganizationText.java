package io.iamguardrail.audit.organization;

import io.iamguardrail.config.Severity;

import java.util.Map;

import static io.iamguardrail.text.VisibleText.line;

/** The organization report for a terminal and the summary e-mail: totals, accounts not audited, worst principals, accounts. */
public final class OrganizationText {

    private OrganizationText() {
    }

    /** One line: accounts, findings and the counts by severity. */
    public static String summary(OrganizationReport r) {
        StringBuilder out = new StringBuilder("IAM Guardrail audit of the organization, ").append(r.date()).append(": ")
                .append(r.accounts().size()).append(" accounts (").append(r.with(AccountRow.Status.AUDITED).size())
                .append(" audited, ").append(r.unverified().size()).append(" not audited), ").append(r.findings())
                .append(" findings (");
        boolean first = true;
        for (Map.Entry<Severity, Integer> e : r.severityCounts().entrySet()) {
            out.append(first ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey().name().toLowerCase());
            first = false;
        }
        return out.append("), ").append(r.newCount()).append(" new, ").append(r.resolvedCount()).append(" resolved").toString();
    }

    public static String write(OrganizationReport r) {
        StringBuilder out = new StringBuilder(summary(r)).append("\n");
        if (!r.unverified().isEmpty()) {
            out.append("\nNot audited (state unknown, not clean):\n");
            r.unverified().forEach(a -> out.append(String.format("  %s %-24s %s%n", a.account().id(),
                    line(a.account().name()), line(a.reason().orElse("")))));
        }
        if (!r.worst().isEmpty()) {
            out.append("\nWorst principals:\n");
            int n = 1;
            for (WorstPrincipal p : r.worst()) {
                out.append(String.format("%3d. %-8s %s %s (%s, %d findings)%n", n++, p.worst(), p.account(),
                        line(p.arn()), line(p.accountName()), p.findings()));
            }
        }
        out.append("\nAccounts:\n");
        for (AccountRow a : r.accounts()) {
            out.append(String.format("  %s %-24s %-8s", a.account().id(), line(a.account().name()), a.status().name().toLowerCase()));
            if (!a.unverified()) {
                out.append(String.format(" %d critical, %d high, %d medium, %d low, %d info; %d new, %d resolved",
                        a.bySeverity().get(Severity.CRITICAL), a.bySeverity().get(Severity.HIGH),
                        a.bySeverity().get(Severity.MEDIUM), a.bySeverity().get(Severity.LOW),
                        a.bySeverity().get(Severity.INFO), a.newCount(), a.resolvedCount()));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
