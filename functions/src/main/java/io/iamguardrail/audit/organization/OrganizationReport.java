package io.iamguardrail.audit.organization;

import io.iamguardrail.config.Severity;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The organization's audit of one date: a line per account (audited, failed or missing, by account id), and the
 * worst principals across the organization.
 */
public record OrganizationReport(String date, Instant generatedAt, List<AccountRow> accounts,
                                 List<WorstPrincipal> worst) {

    public static final String SCHEMA = "iam-guardrail/org-audit/1";
    /** The worst principals the report names across the organization. */
    public static final int WORST_KEPT = 20;

    public OrganizationReport {
        accounts = List.copyOf(accounts);
        worst = List.copyOf(worst);
    }

    public Map<Severity, Integer> severityCounts() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, accounts.stream().mapToInt(a -> a.bySeverity().get(s)).sum());
        }
        return counts;
    }

    public List<AccountRow> with(AccountRow.Status status) {
        return accounts.stream().filter(a -> a.status() == status).toList();
    }

    /** Accounts whose state is not known: failed or without a report. */
    public List<AccountRow> unverified() {
        return accounts.stream().filter(AccountRow::unverified).toList();
    }

    public int findings() {
        return accounts.stream().mapToInt(AccountRow::findings).sum();
    }

    public int newCount() {
        return accounts.stream().mapToInt(AccountRow::newCount).sum();
    }

    public int resolvedCount() {
        return accounts.stream().mapToInt(AccountRow::resolvedCount).sum();
    }

    public boolean hasAtLeast(Severity threshold) {
        return accounts.stream().anyMatch(a -> a.hasAtLeast(threshold));
    }
}
