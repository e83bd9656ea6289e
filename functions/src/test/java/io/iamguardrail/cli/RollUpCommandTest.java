package io.iamguardrail.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.audit.AuditHtml;
import io.iamguardrail.audit.AuditJson;
import io.iamguardrail.audit.AuditReport;
import io.iamguardrail.audit.organization.AccountReports;
import io.iamguardrail.audit.organization.MemberAccounts;
import io.iamguardrail.organization.MemberAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static io.iamguardrail.audit.organization.MemberAccounts.LAMBDA_TRUST;
import static io.iamguardrail.audit.organization.MemberAccounts.VENDOR_TRUST;
import static io.iamguardrail.audit.organization.MemberAccounts.role;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code audit --roll-up DIR} on the layout the hub writes (copied from the bucket) and the one
 * {@code audit --live --organization} writes: one line per account, a failed account with its reason, an expected
 * account without a report, and the exit code of an organization whose state is not fully known.
 */
class RollUpCommandTest {

    static final Clock WEEK = Clock.fixed(Instant.parse("2026-12-07T06:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {
    }

    static Run audit(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "audit";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = Main.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    static void report(Path dir, String account, AuditReport r) throws Exception {
        Files.createDirectories(dir.resolve(account));
        Files.writeString(dir.resolve(account).resolve("report.json"), AuditJson.write(r, "test"));
        Files.writeString(dir.resolve(account).resolve("report.html"), AuditHtml.write(r));
    }

    /** The bucket's layout: audit/2026-11-30 (older) and audit/2026-12-07 with two reports and a failure. */
    static Path bucket(Path root) throws Exception {
        Path older = root.resolve("audit/2026-11-30/111122223333");
        Files.createDirectories(older);
        Path week = root.resolve("audit/2026-12-07");
        report(week, "111122223333", MemberAccounts.audit("111122223333", WEEK).run(MemberAccounts.account("111122223333",
                List.of(role("111122223333", "vendor-admin", VENDOR_TRUST, "AdministratorAccess")), List.of()), Optional.empty()));
        report(week, "444455556666", MemberAccounts.audit("444455556666", WEEK).run(MemberAccounts.account("444455556666",
                List.of(role("444455556666", "reports-reader", LAMBDA_TRUST, "AmazonS3ReadOnlyAccess")), List.of()), Optional.empty()));
        Files.createDirectories(week.resolve("777788889999"));
        Files.writeString(week.resolve("777788889999/failed.json"), AccountReports.failureJson(
                new MemberAccount("777788889999", "sandbox"), "2026-12-07", WEEK.instant(),
                "StsException: User: arn:aws:sts::210987654321:assumed-role/iam-guardrail-audit/fn is not authorized to"
                        + " perform: sts:AssumeRole"));
        return root;
    }

    @Test
    void theBucketsLayoutRollsUpItsLatestDateWithTheFailedAndTheMissingAccounts(@TempDir Path tmp) throws Exception {
        Run r = audit("--roll-up", bucket(tmp).toString(), "--format", "json", "--accounts", "121212121212");

        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        JsonNode org = JSON.readTree(r.out());
        assertThat(org.path("schema").asText()).isEqualTo("iam-guardrail/org-audit/1");
        assertThat(org.path("date").asText()).isEqualTo("2026-12-07");
        assertThat(org.path("accounts").findValuesAsText("status"))
                .containsExactly("AUDITED", "MISSING", "AUDITED", "FAILED");
        assertThat(org.path("accounts").get(1).path("reason").asText()).isEqualTo("no report: the invocation failed or timed out");
        assertThat(org.path("accounts").get(3).path("reason").asText()).contains("sts:AssumeRole");
        assertThat(org.path("worst").get(0).path("principal").asText()).isEqualTo("arn:aws:iam::111122223333:role/vendor-admin");
    }

    @Test
    void aFolderOfAccountsRollsUpAsTextOrAsOnePage(@TempDir Path tmp) throws Exception {
        Path week = bucket(tmp).resolve("audit/2026-12-07");
        Run text = audit("--roll-up", week.toString());
        assertThat(text.out()).startsWith("IAM Guardrail audit of the organization, 2026-12-07: 3 accounts (2 audited, 1 not audited)")
                .contains("777788889999", "sts:AssumeRole");

        Path page = tmp.resolve("organization.html");
        Run html = audit("--roll-up", week.toString(), "--format", "html", "--output", page.toString());
        assertThat(html.exit()).isEqualTo(1);
        assertThat(Files.readString(page)).startsWith("<!DOCTYPE html>").contains("id=\"failed-777788889999\"",
                "id=\"a-444455556666\"");
    }

    @Test
    void aFolderWithoutAccountsOrAWrongCombinationIsBadUsage(@TempDir Path tmp) {
        Run empty = audit("--roll-up", tmp.toString());
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("expected `" + tmp + "` to hold <account>/report.json or <account>/failed.json");

        Run both = audit("--roll-up", tmp.toString(), "--live");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("expected --roll-up DIR alone");

        Run noRole = audit("--live", "--organization", "--output", tmp.toString());
        assertThat(noRole.exit()).isEqualTo(2);
        assertThat(noRole.err()).contains("expected --organization with --live, --assume-role-name NAME and --output DIR but found no --assume-role-name");

        Run badId = audit("--roll-up", tmp.toString(), "--accounts", "1111-2222-3333");
        assertThat(badId.err()).contains("expected --accounts to list 12-digit account ids but found `1111-2222-3333`");
    }
}
