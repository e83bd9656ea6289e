package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code audit --authorization-details FILE} as a user runs it offline, on the output of
 * {@code aws iam get-account-authorization-details}; the HTML report opened in headless Chromium.
 */
class AuditCommandTest {

    /** The example account the unit tests and `invoke AuditFunction` read: one file in the CLI's own output format. */
    static final Path DETAILS = Path.of("../functions/src/test/resources/examples/account-authorization-details.json").toAbsolutePath().normalize();
    /** The small example account the README audits: a shared group policy, an admin group, a CI role, a path to admin. */
    static final Path EXAMPLE = Path.of("../functions/examples/authorization-details.json").toAbsolutePath().normalize();
    static final String SHARED_POLICY = "arn:aws:iam::123456789012:policy/developer-tools";

    @TempDir
    Path dir;

    static List<String> rules(JsonNode report, String principal) {
        List<String> out = new ArrayList<>();
        report.path("findings").forEach(f -> {
            if (f.path("principal").asText().equals(principal)) {
                out.add(f.path("ruleId").asText());
            }
        });
        return out;
    }

    @Test
    void auditsAnAuthorizationDetailsFileOffline() {
        Cli.Result r = Cli.run(dir, "audit", "--authorization-details", DETAILS.toString(), "--format", "json");

        Fixtures.assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        JsonNode report = r.json();
        assertThat(report.path("account").asText()).isEqualTo("123456789012");
        assertThat(rules(report, "arn:aws:iam::123456789012:role/vendor-admin")).contains("ADMIN_ACCESS",
                "TRUST_EXTERNAL_ACCOUNT", "UNUSED_ROLE");
        assertThat(rules(report, "arn:aws:iam::123456789012:role/github-deploy")).containsExactly("TRUST_OIDC_UNSCOPED");
        assertThat(rules(report, "arn:aws:iam::123456789012:user/ci-bot")).contains("CREDENTIALS_EXPOSURE");
        assertThat(rules(report, "arn:aws:iam::123456789012:role/legacy-batch")).contains("UNUSED_ROLE");
        assertThat(report.path("findings")).allMatch(f -> f.has("ruleId") && f.has("severity") && f.has("title")
                && f.has("message") && f.has("source") && f.has("location") && f.has("remediation")
                && f.path("status").asText().equals("new"));
        assertThat(report.path("summary").path("worst").size()).isEqualTo(7);
    }

    /** Without an account: the example's first fix is the policy the developers group shares. */
    @Test
    void theExampleAccountSaysWhichFixRemovesMostOfTheRisk() {
        Cli.Result text = Cli.run(dir, "audit", "--authorization-details", EXAMPLE.toString());
        Fixtures.assertNoStackTrace(text);
        assertThat(text.exit()).as("%s", text).isEqualTo(1);
        assertThat(text.out()).containsPattern("\\d+ problems in \\d+ policies; fixing the top 5 clears \\d+ of \\d+"
                + " CRITICAL/HIGH findings\n\nFix these first:\n  1\\. CRITICAL developer-tools: edit the policy's default version\n");

        JsonNode report = Cli.run(dir, "audit", "--authorization-details", EXAMPLE.toString(), "--format", "json").json();
        JsonNode first = report.path("rootCauses").path(0);
        assertThat(first.path("id").asText()).isEqualTo(SHARED_POLICY);
        assertThat(first.path("clears")).extracting(JsonNode::asText).contains(
                "arn:aws:iam::123456789012:group/developers", "arn:aws:iam::123456789012:user/lee.dev");
        JsonNode summary = report.path("summary");
        assertThat(summary.path("problems").asInt()).isPositive().isLessThan(summary.path("findings").asInt());
        assertThat(summary.path("fixFirst").path("clearsCriticalOrHigh").asInt())
                .isLessThanOrEqualTo(summary.path("fixFirst").path("criticalOrHigh").asInt()).isPositive();
        // Each problem points at the finding that words it, a finding of its own fix.
        assertThat(summary.path("fixes").asInt()).isEqualTo(report.path("rootCauses").size());
        for (JsonNode fix : report.path("rootCauses")) {
            for (JsonNode problem : fix.path("problems")) {
                JsonNode worded = report.path("findings").path(problem.path("finding").asInt());
                assertThat(worded.path("ruleId").asText()).isEqualTo(problem.path("ruleId").asText());
                assertThat(worded.path("rootCause").asText()).isEqualTo(fix.path("id").asText());
            }
        }
        // Every finding names its root cause, and the rows of the principals keep their old fields.
        assertThat(report.path("findings")).allMatch(f -> f.hasNonNull("rootCause") && f.has("fingerprint"));
        assertThat(report.path("principals")).allMatch(p -> p.has("arn") && p.has("worst") && p.has("findings"));
    }

    @Test
    void csvIsOneRowPerFindingAndOutputSaysWhatItWrote() throws IOException {
        Cli.Result r = Cli.run(dir, "audit", "--authorization-details", EXAMPLE.toString(), "--format", "csv",
                "--output", "findings.csv");
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).containsPattern("iam-guardrail: wrote findings\\.csv \\(csv: (\\d+) findings on \\d+ principals; \\d+ problems"
                + " in \\d+ policies; fixing the top 5 clears \\d+ of \\d+ CRITICAL/HIGH findings\\)\n");
        List<String> lines = Files.readAllLines(dir.resolve("findings.csv"), StandardCharsets.UTF_8);
        int findings = Integer.parseInt(r.err().replaceAll("(?s).*\\(csv: (\\d+) findings.*", "$1"));
        assertThat(lines).hasSize(findings + 1);
        assertThat(lines.get(0)).startsWith("\"account\",\"principal\",\"kind\",\"policy\",\"rule_id\",\"severity\"");

        Cli.Result organization = Cli.run(dir, "audit", "--roll-up", dir.toString(), "--format", "csv");
        assertThat(organization.exit()).isEqualTo(2);
        assertThat(organization.err().strip()).isEqualTo("iam-guardrail: expected --format text, json or html for the"
                + " organization report but found csv (csv is one account's findings, one row each)");
    }

    @Test
    void aPreviousReportMarksFindingsKnown() throws IOException {
        Cli.Result first = Cli.run(dir, "audit", "--authorization-details", DETAILS.toString(), "--format", "json",
                "--output", "week1.json");
        assertThat(first.exit()).as("%s", first).isEqualTo(1);
        assertThat(first.out()).isEmpty();
        assertThat(first.err()).startsWith("iam-guardrail: wrote week1.json (json: 24 findings on 7 principals; ");

        Cli.Result second = Cli.run(dir, "audit", "--authorization-details", DETAILS.toString(), "--format", "json",
                "--previous", "week1.json");
        assertThat(second.json().path("summary").path("new").asInt()).isZero();
        assertThat(second.json().path("findings")).allMatch(f -> f.path("status").asText().equals("known"));
        assertThat(second.json().path("summary").path("resolved").asInt()).isZero();
    }

    @Test
    void theTextReportOpensWithTheSummaryAndTheWorstPrincipals() {
        Cli.Result r = Cli.run(dir, "audit", "--authorization-details", DETAILS.toString(), "--fail-on", "CRITICAL");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("IAM Guardrail audit of account 123456789012 on ")
                .contains("By severity: CRITICAL 7, HIGH 6, MEDIUM 5, LOW 6, INFO 0", "Worst principals:");
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        Cli.Result neither = Cli.run(dir, "audit");
        Fixtures.assertNoStackTrace(neither);
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err().strip()).isEqualTo("iam-guardrail: expected exactly one of --live or --authorization-details FILE but found neither");

        Path policy = Fixtures.write(dir, "policy.json", "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
        Cli.Result wrong = Cli.run(dir, "audit", "--authorization-details", policy.toString());
        Fixtures.assertNoStackTrace(wrong);
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("expected the output of `aws iam get-account-authorization-details`").hasLineCount(1);

        Cli.Result days = Cli.run(dir, "audit", "--authorization-details", DETAILS.toString(), "--unused-days", "0");
        assertThat(days.exit()).isEqualTo(2);
        assertThat(days.err().strip()).isEqualTo("iam-guardrail: expected --unused-days to be at least 1 but found 0");
    }

    @Test
    void theTableOfRealTimeAlertsIsOnlyForLiveAudits() {
        Cli.Result r = Cli.run(dir, "audit", "--authorization-details", DETAILS.toString(), "--table", "guardrail");
        Fixtures.assertNoStackTrace(r);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("iam-guardrail: expected --table only with --live (it reads the real-time"
                + " alerts from DynamoDB)");
    }

    /**
     * The HTML report opens in a real browser and shows the summary. Needs Debian's {@code chromium}
     * ({@code .ci/run} installs it when it can).
     */
    @Test
    void theHtmlReportOpensInHeadlessChromiumAndShowsTheSummary() throws Exception {
        Optional<Path> chromium = browser();
        Assumptions.assumeTrue(chromium.isPresent(),
                "chromium is not installed: skipping the browser check (Debian: apt-get install -y chromium)");
        Cli.Result r = Cli.run(dir, "audit", "--authorization-details", DETAILS.toString(), "--format", "html",
                "--output", "report.html");
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        Path html = dir.resolve("report.html");

        Path out = dir.resolve("dom.html");
        Path err = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(chromium.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("profile"), "--dump-dom", html.toUri().toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(dom).as("the DOM chromium rendered (log: %s)", err).contains("<h1>IAM Guardrail audit of 123456789012</h1>");
        // The rendered DOM carries the summary: finding count and the severity table with its numbers.
        assertThat(dom).contains("<strong id=\"finding-count\">24</strong>")
                .contains("<td id=\"count-CRITICAL\">7</td>")
                .containsPattern("<section id=\"worst\"><h2>Ten worst principals</h2><ol><li>");
        // The browser added the tbody the markup leaves implicit: it parsed the page as HTML, not as text.
        assertThat(dom).contains("<tbody>");
    }

    /** The findings of the principals' table (each a list item inside a fold) the page shows, and how many there are. */
    private static final String FINDINGS_SHOWN = "(() => { const items = [...document.querySelectorAll('#principals details li')];"
            + " return {total: items.length, shown: items.filter(e => e.checkVisibility()"
            + " && e.getBoundingClientRect().height > 0).length}; })()";

    /**
     * On screen the findings fold away and the first screen says which fixes come first; printed (Chromium's print
     * media, as "Save as PDF" lays the page out) every finding is shown, so a paper copy holds them all.
     */
    @Test
    void onScreenTheFirstFixesLeadAndPrintedEveryFindingShows() throws Exception {
        Optional<Path> chromium = browser();
        Assumptions.assumeTrue(chromium.isPresent(),
                "chromium is not installed: skipping the browser check (Debian: apt-get install -y chromium)");
        Cli.Result r = Cli.run(dir, "audit", "--authorization-details", EXAMPLE.toString(), "--format", "html",
                "--output", "report.html");
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        Path html = dir.resolve("report.html");

        try (HeadlessChromium browser = new HeadlessChromium(chromium.get(), dir.resolve("profile"))) {
            browser.open(html, "screen");
            String firstScreen = "(() => { const r = document.querySelector('#fix-headline').getBoundingClientRect();"
                    + " const f = document.querySelector('#fix-first li a').getBoundingClientRect();"
                    + " return r.height > 0 && f.height > 0 && f.bottom <= window.innerHeight; })()";
            assertThat(browser.evaluate(firstScreen).asBoolean()).as("the headline and the first fix on the first screen").isTrue();
            assertThat(browser.evaluate("document.querySelector('#fix-headline').textContent").asText())
                    .matches("\\d+ problems in \\d+ policies; fixing the top 5 clears \\d+ of \\d+ CRITICAL/HIGH findings");
            assertThat(browser.evaluate("document.querySelector('#fix-first li a').textContent").asText())
                    .isEqualTo("developer-tools");
            assertThat(browser.evaluate("document.querySelector('#fix-first li a').href").asText())
                    .startsWith("https://console.aws.amazon.com/iam/home#/policies/details/");
            JsonNode screen = browser.evaluate(FINDINGS_SHOWN);
            assertThat(screen.path("total").asInt()).isEqualTo(
                    Integer.parseInt(r.err().replaceAll("(?s).*\\(html: (\\d+) findings.*", "$1")));
            assertThat(screen.path("shown").asInt()).as("folded on screen").isZero();

            browser.open(html, "print");
            assertThat(browser.evaluate("matchMedia('print').matches").asBoolean()).isTrue();
            JsonNode print = browser.evaluate(FINDINGS_SHOWN);
            assertThat(print.path("shown").asInt()).as("every finding printed").isEqualTo(print.path("total").asInt())
                    .isEqualTo(screen.path("total").asInt());
            assertThat(browser.evaluate("[...document.querySelectorAll('details')].every(d => [...d.children]"
                    + ".every(c => c.checkVisibility()))").asBoolean()).as("every fold open in print").isTrue();
        }
    }

    private static Optional<Path> browser() {
        return HeadlessChromium.installed();
    }
}
