package io.iamguardrail.cli;

import io.iamguardrail.audit.Audit;
import io.iamguardrail.audit.KnownAlerts;
import io.iamguardrail.audit.organization.AccountRow;
import io.iamguardrail.audit.organization.OrganizationAudit;
import io.iamguardrail.audit.organization.OrganizationHtml;
import io.iamguardrail.audit.organization.OrganizationJson;
import io.iamguardrail.audit.organization.OrganizationReport;
import io.iamguardrail.audit.organization.OrganizationText;
import io.iamguardrail.audit.organization.RollUp;
import io.iamguardrail.aws.MemberSessions;
import io.iamguardrail.aws.OrganizationsAccounts;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.organization.MemberRole;
import io.iamguardrail.organization.Organization;
import io.iamguardrail.wiring.AuditEnvironment;
import io.iamguardrail.wiring.HubAuditEnvironment;
import io.iamguardrail.wiring.MemberAuditing;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sts.StsClient;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code audit --roll-up DIR} and {@code audit --live --organization}: the organization's audit from a laptop, with
 * the caller's credentials, in the folder layout of the report bucket. An account that failed or left no report makes
 * the exit code 1, like a finding: its state is unknown, not clean.
 */
final class OrganizationRun {

    private OrganizationRun() {
    }

    /** The organization report of the per-account reports in {@code given}. */
    static int rollUp(Path given, List<String> expected, AuditCommand.Format format, Path output, Severity threshold,
                      PrintWriter out, PrintWriter err) throws UsageException {
        Path dir;
        try {
            dir = FolderReports.find(given).orElseThrow(() -> new UsageException("expected `" + given + "` to hold"
                    + " <account>/report.json or <account>/failed.json (12-digit account folders), or date folders"
                    + " of them, but found none"));
        } catch (IOException e) {
            throw new UsageException("cannot read `" + given + "`: " + e.getMessage());
        }
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        String date = name.matches("\\d{4}-\\d{2}-\\d{2}") ? name : LocalDate.now(ZoneOffset.UTC).toString();
        try {
            OrganizationReport report = RollUp.of(date, expected.stream().map(id -> new MemberAccount(id, id)).toList(),
                    new FolderReports(dir), Clock.systemUTC().instant());
            return emit(report, format, output, threshold, out, err);
        } catch (UncheckedIOException e) {
            throw new UsageException(e.getMessage() + ": " + e.getCause().getMessage());
        }
    }

    /** Audits each account through {@code role}, {@code parallel} at a time, into {@code dir}, then rolls them up. */
    static int live(MemberRole role, List<String> accounts, int parallel, Path dir, AuditCommand.Format format,
                    Severity threshold, GuardrailConfig config, int unusedDays, PrintWriter out, PrintWriter err)
            throws UsageException {
        String date = LocalDate.now(ZoneOffset.UTC).toString();
        Organization organization = accounts.isEmpty()
                ? new OrganizationsAccounts(UrlConnectionHttpClient.create(), DefaultCredentialsProvider.create(),
                        OrganizationsAccounts.endpoint(System.getenv()), "us-east-1", Clock.systemUTC())
                : Organization.of(accounts.stream().map(id -> new MemberAccount(id, id)).toList());
        List<MemberAccount> members;
        try {
            members = organization.activeMembers();
        } catch (RuntimeException e) {
            throw new UsageException("cannot list the organization's accounts (only its management account or a"
                    + " delegated administrator may; or name them with --accounts): " + e.getMessage());
        }
        String region = new DefaultAwsRegionProviderChain().getRegion().id();
        try (StsClient sts = StsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            MemberSessions sessions = new MemberSessions(sts, role, HubAuditEnvironment.partition(region), Clock.systemUTC());
            AuditEnvironment.Settings settings = new AuditEnvironment.Settings("", "", unusedDays,
                    Audit.DEFAULT_ADVISOR_LIMIT, true, Optional.empty(), config);
            MemberAuditing audits = new MemberAuditing(MemberAuditing.memberIam(sessions), settings,
                    ManagedPolicySnapshot.bundled(), KnownAlerts.NONE, Clock.systemUTC());
            OrganizationAudit hub = new OrganizationAudit(organization, audits, new FolderReports(dir), alert -> {
                throw new IllegalStateException("the command line publishes no summary");
            }, Main.VERSION, Clock.systemUTC());
            ExecutorService pool = Executors.newFixedThreadPool(parallel);
            try {
                List<Future<OrganizationAudit.AccountOutcome>> runs = new ArrayList<>();
                for (MemberAccount m : members) {
                    runs.add(pool.submit(() -> hub.audit(m.id(), date)));
                }
                for (Future<OrganizationAudit.AccountOutcome> run : runs) {
                    OrganizationAudit.AccountOutcome o = run.get();
                    err.println(o.report().map(r -> "audited " + o.account().id() + " (" + o.account().name() + "): "
                            + r.findingCount() + " findings").orElse("not audited " + o.account().id() + ": "
                            + o.reason().orElse("")));
                    err.flush();
                }
            } catch (ExecutionException e) {
                throw new UsageException("an account's audit could not be stored: " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UsageException("interrupted before every account was audited");
            } finally {
                pool.shutdownNow();
            }
            return emit(hub.store(date, members).report(), format, null, threshold, out, err);
        } catch (UncheckedIOException e) {
            throw new UsageException(e.getMessage() + ": " + e.getCause().getMessage());
        }
    }

    private static int emit(OrganizationReport report, AuditCommand.Format format, Path output, Severity threshold,
                            PrintWriter out, PrintWriter err) throws UsageException {
        String text = switch (format) {
            case json -> OrganizationJson.write(report, Main.VERSION);
            case html -> OrganizationHtml.write(report);
            case text -> OrganizationText.write(report);
            case csv -> throw new UsageException("expected --format text, json or html for the organization report but found csv");
        };
        ReportOutput.write(text, output, format + ": the organization report of " + report.accounts().size() + " accounts",
                out, err);
        boolean unknown = report.accounts().stream().anyMatch(AccountRow::unverified);
        return unknown || report.hasAtLeast(threshold) ? Main.FINDINGS : Main.CLEAN;
    }
}
