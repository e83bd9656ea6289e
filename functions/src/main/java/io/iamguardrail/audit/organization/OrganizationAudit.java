package io.iamguardrail.audit.organization;

import io.iamguardrail.audit.AuditHtml;
import io.iamguardrail.audit.AuditJson;
import io.iamguardrail.audit.AuditReport;
import io.iamguardrail.audit.PreviousReport;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.organization.Organization;
import io.iamguardrail.pipeline.AlertPublisher;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hub's side of the organization audit, one step of the state machine per call: the list of active members, the
 * audit of one account into its own folder ({@code audit/<date>/<account>/}), and the roll-up of a date with its one
 * summary. An account that cannot be audited leaves {@code failed.json} with the reason and a FAILED result instead
 * of an error, so that the other accounts carry on; an account that is not an active member is not read at all.
 */
public final class OrganizationAudit {

    private final Organization organization;
    private final MemberAudits audits;
    private final AccountReportStore store;
    private final AlertPublisher publisher;
    private final String tool;
    private final Clock clock;

    public OrganizationAudit(Organization organization, MemberAudits audits, AccountReportStore store,
                             AlertPublisher publisher, String tool, Clock clock) {
        this.organization = organization;
        this.audits = audits;
        this.store = store;
        this.publisher = publisher;
        this.tool = tool;
        this.clock = clock;
    }

    /** What one account's audit did, as the map step returns it. */
    public record AccountOutcome(MemberAccount account, Optional<AuditReport> report, Optional<String> reason,
                                 String location) {
    }

    /** What the roll-up did: the report, where it is, the summary's message id. */
    public record RollUpOutcome(OrganizationReport report, String location, String messageId) {
    }

    public List<MemberAccount> activeMembers() {
        return organization.activeMembers();
    }

    /** Audits {@code accountId} when it is an active member; never throws for a failure of that account. */
    public AccountOutcome audit(String accountId, String date) {
        Optional<MemberAccount> member = organization.activeMember(accountId);
        if (member.isEmpty()) {
            MemberAccount outsider = new MemberAccount(accountId, accountId);
            return failed(outsider, date, "account " + accountId + " is not an active member of the organization:"
                    + " not audited");
        }
        MemberAccount account = member.get();
        Optional<PreviousReport> previous;
        String problem = null;
        try {
            previous = store.previousReport(date, account.id())
                    .map(j -> AuditJson.readPrevious(j, "the account's previous report"));
        } catch (RuntimeException e) {
            previous = Optional.empty();
            problem = "the previous report could not be read (" + e.getMessage() + "): every finding counts as new";
        }
        AuditReport report;
        try {
            report = audits.audit(account, date, previous);
        } catch (RuntimeException e) {
            return failed(account, date, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (report.accountId().isPresent() && !report.accountId().get().equals(account.id())) {
            return failed(account, date, "the audit read account " + report.accountId().get() + " instead of "
                    + account.id() + ": nothing stored under " + account.id());
        }
        if (problem != null) {
            report = report.withNote(problem);
        }
        AuditReport stored = report;
        String location = store.saveReport(date, account.id(), () -> AuditJson.write(stored, tool),
                () -> AuditHtml.write(stored));
        return new AccountOutcome(account, Optional.of(report), Optional.empty(), location);
    }

    /** The organization report of {@code date} over the listed accounts and the organization's active members. */
    public RollUpOutcome rollUp(String date, List<MemberAccount> listed) {
        RollUpOutcome stored = store(date, listed);
        String messageId = publisher.publish(OrganizationSummary.of(stored.report(), stored.location()));
        return new RollUpOutcome(stored.report(), stored.location(), messageId);
    }

    /** The organization report stored, without the summary (the CLI's roll-up); its message id is empty. */
    public RollUpOutcome store(String date, List<MemberAccount> listed) {
        List<MemberAccount> expected = new ArrayList<>(listed);
        expected.addAll(organization.activeMembers());
        OrganizationReport report = RollUp.of(date, expected, store, clock.instant());
        String location = store.saveOrganization(date, OrganizationJson.write(report, tool), OrganizationHtml.write(report));
        return new RollUpOutcome(report, location, "");
    }

    private AccountOutcome failed(MemberAccount account, String date, String reason) {
        String location = store.saveFailure(date, account.id(),
                AccountReports.failureJson(account, date, clock.instant(), reason));
        return new AccountOutcome(account, Optional.empty(), Optional.of(reason), location);
    }
}
