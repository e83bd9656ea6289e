package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
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
    static final Path DETAILS = Path.of("../functions/examples/account-authorization-details.json").toAbsolutePath().normalize();

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

    @Test
    void aPreviousReportMarksFindingsKnown() throws IOException {
        Cli.Result first = Cli.run(dir, "audit", "--authorization-details", DETAILS.toString(), "--format", "json",
                "--output", "week1.json");
        assertThat(first.exit()).as("%s", first).isEqualTo(1);
        assertThat(first.out()).isEmpty();

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

    private static Optional<Path> browser() {
        for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dirName, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
