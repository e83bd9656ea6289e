package io.iamguardrail.audit.organization;

import io.iamguardrail.organization.MemberAccount;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * The organization report of one date from the accounts' folders. Every expected account gets a line: its report, its
 * failure record, or "no report" when the invocation that should have written one failed or timed out. Accounts with a
 * folder that were not expected are rolled up too. One report is read at a time and only its summary is kept.
 */
public final class RollUp {

    private RollUp() {
    }

    /** {@code expected}: the accounts that were to be audited (the state machine's list, the organization's members). */
    public static OrganizationReport of(String date, List<MemberAccount> expected, AccountReportStore store, Instant now) {
        Map<String, MemberAccount> accounts = new LinkedHashMap<>();
        expected.forEach(a -> accounts.merge(a.id(), a, (first, again) -> first.name().equals(first.id()) ? again : first));
        for (String id : store.accounts(date)) {
            if (id.matches("\\d{12}")) {
                accounts.putIfAbsent(id, new MemberAccount(id, id));
            }
        }
        List<AccountRow> rows = new ArrayList<>();
        PriorityQueue<WorstPrincipal> worst = new PriorityQueue<>(WorstPrincipal.WORST_FIRST.reversed());
        for (MemberAccount a : accounts.values()) {
            AccountReports.Read read = read(date, a, store);
            rows.add(read.row());
            for (WorstPrincipal p : read.worst()) {
                worst.add(p);
                if (worst.size() > OrganizationReport.WORST_KEPT) {
                    worst.poll();
                }
            }
        }
        rows.sort(Comparator.comparing((AccountRow r) -> r.account().id()));
        return new OrganizationReport(date, now, rows, worst.stream().sorted(WorstPrincipal.WORST_FIRST).toList());
    }

    private static AccountReports.Read read(String date, MemberAccount a, AccountReportStore store) {
        Optional<String> report = store.report(date, a.id());
        if (report.isPresent()) {
            return AccountReports.report(a, report.get(), date + "/" + a.id() + "/report.json", OrganizationReport.WORST_KEPT);
        }
        Optional<String> failure = store.failure(date, a.id());
        if (failure.isPresent()) {
            return AccountReports.failure(a, failure.get(), date + "/" + a.id() + "/failed.json");
        }
        return new AccountReports.Read(AccountRow.missing(a), List.of());
    }
}
