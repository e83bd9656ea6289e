package io.iamguardrail.audit;

import io.iamguardrail.pipeline.AlertPublisher;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The weekly use case: read the account, compare with the latest stored report, store the new one (JSON and HTML),
 * publish one summary. A previous report that cannot be read does not stop the audit: it is noted and everything
 * counts as new.
 */
public final class ScheduledAudit {

    /** What a run did: the report, where it was stored, and the summary's message id. */
    public record Outcome(AuditReport report, String location, String messageId) {
    }

    private final Supplier<AccountSnapshot> account;
    private final Audit audit;
    private final ReportStore store;
    private final AlertPublisher publisher;
    private final String tool;
    private final KnownAlerts alerts;

    public ScheduledAudit(Supplier<AccountSnapshot> account, Audit audit, ReportStore store, AlertPublisher publisher,
                          String tool) {
        this(account, audit, store, publisher, tool, KnownAlerts.NONE);
    }

    /** With {@code alerts}: findings the real-time evaluator already alerted on count as known. */
    public ScheduledAudit(Supplier<AccountSnapshot> account, Audit audit, ReportStore store, AlertPublisher publisher,
                          String tool, KnownAlerts alerts) {
        this.alerts = alerts;
        this.account = account;
        this.audit = audit;
        this.store = store;
        this.publisher = publisher;
        this.tool = tool;
    }

    public Outcome run() {
        AccountSnapshot snapshot = account.get();
        Optional<PreviousReport> previous;
        String problem = null;
        try {
            previous = store.latestJson().map(j -> AuditJson.readPrevious(j, "the latest stored report"));
        } catch (RuntimeException e) {
            previous = Optional.empty();
            problem = "the previous report could not be read (" + e.getMessage() + "): every finding counts as new";
        }
        AuditReport report = audit.run(snapshot, previous, alerts);
        if (problem != null) {
            List<String> notes = new ArrayList<>(report.notes());
            notes.add(problem);
            report = new AuditReport(report.generatedAt(), report.accountId(), report.unusedDays(),
                    report.principalsScanned(), report.principals(), report.cleanPrincipals(), report.resolved(),
                    report.previous(), report.accessAdvisorUsed(), notes, report.paths());
        }
        String location = store.save(report.generatedAt(), AuditJson.write(report, tool), AuditHtml.write(report));
        String messageId = publisher.publish(AuditSummary.of(report, location));
        return new Outcome(report, location, messageId);
    }
}
