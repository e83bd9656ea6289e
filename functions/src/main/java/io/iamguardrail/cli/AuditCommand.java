package io.iamguardrail.cli;

import io.iamguardrail.audit.AccessAdvisor;
import io.iamguardrail.audit.AccountSnapshot;
import io.iamguardrail.audit.Audit;
import io.iamguardrail.audit.AuditCsv;
import io.iamguardrail.audit.AuditHtml;
import io.iamguardrail.audit.AuditJson;
import io.iamguardrail.audit.AuditReport;
import io.iamguardrail.audit.AuditText;
import io.iamguardrail.audit.AuthorizationDetailsException;
import io.iamguardrail.audit.AuthorizationDetailsReader;
import io.iamguardrail.audit.KnownAlerts;
import io.iamguardrail.audit.PreviousReport;
import io.iamguardrail.audit.RootCauses;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.DynamoDbKnownAlerts;
import io.iamguardrail.aws.IamAccessAdvisor;
import io.iamguardrail.aws.LiveAccountReader;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.organization.MemberRole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code audit}: the scheduled sweep of a whole account, from a file ({@code aws iam get-account-authorization-details}
 * output) or live.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Audit every role, user, group and customer-managed policy of an account, offline from"
                + " `aws iam get-account-authorization-details` output or --live; with --organization, every account"
                + " of an organization through its member role; with --roll-up, the organization report of"
                + " per-account reports.",
        footer = {"", "Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it (or, for an organization,"
                + " an account not audited), 2 bad usage or unreadable input.",
                "--live uses the standard AWS SDK configuration (AWS_ENDPOINT_URL points at an emulator) and Access Advisor."})
final class AuditCommand implements Callable<Integer> {

    enum Format { text, json, html, csv }

    @Option(names = "--live", description = "read the account from IAM (GetAccountAuthorizationDetails) and ask Access Advisor")
    boolean live;

    @Option(names = "--authorization-details", paramLabel = "FILE",
            description = "the output of `aws iam get-account-authorization-details` (JSON)")
    Path details;

    @Option(names = "--account", paramLabel = "ID", description = "the audited account's id (default: from the ARNs)")
    String account;

    @Option(names = "--format", defaultValue = "text", description = "text, json, html or csv (one row per finding, for"
            + " a spreadsheet; one account only) (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--output", paramLabel = "FILE", description = "write the report to FILE instead of standard output")
    Path output;

    @Option(names = "--unused-days", paramLabel = "N", defaultValue = "90",
            description = "access not used for N days is reported as unused (default: ${DEFAULT-VALUE})")
    int unusedDays;

    @Option(names = "--previous", paramLabel = "FILE",
            description = "an earlier JSON report: findings are marked new or known and resolved ones listed")
    Path previous;

    @Option(names = "--table", paramLabel = "NAME",
            description = "with --live: the evaluator's DynamoDB table; findings it alerted on in real time are known")
    String table;

    @Option(names = "--organization", description = "with --live: audit each account of the organization through"
            + " --assume-role-name, writing <account>/report.json (or failed.json) and organization.json into --output DIR")
    boolean organization;

    @Option(names = "--assume-role-name", paramLabel = "NAME", description = "with --organization: the member role")
    String assumeRoleName;

    @Option(names = "--external-id", paramLabel = "ID", description = "with --organization: the member role's external id")
    String externalId;

    @Option(names = "--accounts", paramLabel = "ID", split = ",",
            description = "the accounts to audit (--organization; default: the organization's active accounts from"
                    + " Organizations) or expected (--roll-up: one without a report is said to be missing)")
    List<String> accounts = new ArrayList<>();

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "with --organization: accounts audited at a time (default: ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--roll-up", paramLabel = "DIR", description = "the organization report of DIR's"
            + " <account>/report.json and failed.json (or of its latest date folder, as in the report bucket)")
    Path rollUp;

    @picocli.CommandLine.Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Severity threshold = common.threshold();
            GuardrailConfig config = common.config();
            for (String id : accounts) {
                if (!id.matches("\\d{12}")) {
                    throw new UsageException("expected --accounts to list 12-digit account ids but found `" + id + "`");
                }
            }
            if (format == Format.csv && (rollUp != null || organization)) {
                throw new UsageException("expected --format text, json or html for the organization report but found"
                        + " csv (csv is one account's findings, one row each)");
            }
            if (rollUp != null) {
                if (live || details != null || organization) {
                    throw new UsageException("expected --roll-up DIR alone (it reads reports already written) but found"
                            + " it with " + (live ? "--live" : details != null ? "--authorization-details" : "--organization"));
                }
                return OrganizationRun.rollUp(rollUp, accounts, format, output, threshold, out, err);
            }
            if (organization) {
                return organization(threshold, config, out, err);
            }
            if (assumeRoleName != null || externalId != null || !accounts.isEmpty()) {
                throw new UsageException("expected --assume-role-name, --external-id and --accounts only with"
                        + " --live --organization or --roll-up");
            }
            if (live == (details != null)) {
                throw new UsageException("expected exactly one of --live or --authorization-details FILE but found "
                        + (live ? "both" : "neither"));
            }
            if (table != null && (!live || table.isBlank())) {
                throw new UsageException(live ? "expected --table to name a DynamoDB table but found an empty name"
                        : "expected --table only with --live (it reads the real-time alerts from DynamoDB)");
            }
            if (unusedDays < 1) {
                throw new UsageException("expected --unused-days to be at least 1 but found " + unusedDays);
            }
            if (account != null) {
                if (!account.matches("\\d{12}")) {
                    throw new UsageException("expected --account to be a 12-digit account id but found `" + account + "`");
                }
                config = config.withAccountId(account);
            }
            Optional<PreviousReport> before = previous == null ? Optional.empty() : Optional.of(previousReport());
            ManagedPolicySnapshot snapshot = ManagedPolicySnapshot.bundled();
            AccountSnapshot snap;
            AccessAdvisor advisor = AccessAdvisor.NONE;
            KnownAlerts alerts = table == null ? KnownAlerts.NONE : new DynamoDbKnownAlerts(Clients.dynamo(), table);
            if (live) {
                var iam = Clients.iam();
                snap = new LiveAccountReader(iam, snapshot).read();
                advisor = new IamAccessAdvisor(iam);
            } else {
                snap = readDetails();
            }
            AuditReport report = new Audit(config, advisor, snapshot, unusedDays, Audit.DEFAULT_ADVISOR_LIMIT,
                    Clock.systemUTC()).run(snap, before, alerts);
            String text = switch (format) {
                case json -> AuditJson.write(report, Main.VERSION);
                case html -> AuditHtml.write(report);
                case text -> AuditText.write(report);
                case csv -> AuditCsv.write(report);
            };
            ReportOutput.write(text, output, format + ": " + report.findingCount() + " findings on "
                    + report.principals().size() + " principals; " + RootCauses.of(report).headline(), out, err);
            return report.hasAtLeast(threshold) ? Main.FINDINGS : Main.CLEAN;
        } catch (UsageException e) {
            err.println("iam-guardrail: " + e.getMessage());
            return Main.USAGE;
        }
    }

    private int organization(Severity threshold, GuardrailConfig config, PrintWriter out, PrintWriter err)
            throws UsageException {
        if (!live || details != null || assumeRoleName == null || output == null) {
            throw new UsageException("expected --organization with --live, --assume-role-name NAME and --output DIR but"
                    + " found " + (!live ? "no --live" : details != null ? "--authorization-details" : assumeRoleName == null ? "no --assume-role-name" : "no --output"));
        }
        if (parallel < 1 || parallel > 50) {
            throw new UsageException("expected --parallel to be from 1 to 50 but found " + parallel);
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new UsageException("expected --output `" + output + "` to be a folder for the accounts' reports but it is a file");
        }
        MemberRole role;
        try {
            role = new MemberRole(assumeRoleName, Optional.ofNullable(externalId));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--assume-role-name or --external-id: " + e.getMessage());
        }
        return OrganizationRun.live(role, accounts, parallel, output, format, threshold, config, unusedDays, out, err);
    }

    private AccountSnapshot readDetails() throws UsageException {
        try {
            return AuthorizationDetailsReader.read(Files.readAllBytes(details), details.toString());
        } catch (NoSuchFileException e) {
            throw new UsageException("cannot read `" + details + "`: no such file");
        } catch (IOException e) {
            throw new UsageException("cannot read `" + details + "`: " + e.getMessage());
        } catch (AuthorizationDetailsException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private PreviousReport previousReport() throws UsageException {
        try {
            return AuditJson.readPrevious(Files.readString(previous, StandardCharsets.UTF_8), previous.toString());
        } catch (NoSuchFileException e) {
            throw new UsageException("cannot read `" + previous + "`: no such file");
        } catch (IOException e) {
            throw new UsageException("cannot read `" + previous + "`: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
