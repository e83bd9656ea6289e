package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.iamguardrail.e2e.Fixtures.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;

/** The three output formats: json for scripts, sarif for GitHub code scanning, text for people. */
class OutputFormatsTest {

    private static final Set<String> SEVERITIES = Set.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO");

    @TempDir
    Path dir;

    @BeforeEach
    void repository() {
        Fixtures.copy(dir, "policies/admin.json", "infra/iam/admin.json");
        Fixtures.copy(dir, "policies/ci-passrole.json", "infra/iam/ci-passrole.json");
        Fixtures.copy(dir, "policies/lambda-execution.json", "infra/iam/lambda-execution.json");
        Fixtures.copy(dir, "templates/orders-sam.yaml", "infra/template.yaml");
    }

    @Test
    void jsonHasAFindingsArrayWithTheContractedFields() {
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "infra");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).as("%s", r).isEmpty();
        List<JsonNode> findings = r.findings();
        assertThat(findings).as("%s", r).isNotEmpty();
        for (JsonNode f : findings) {
            for (String field : List.of("ruleId", "severity", "title", "message", "source", "remediation")) {
                assertThat(f.path(field).isTextual()).as("text field `%s` in %s", field, f).isTrue();
                assertThat(f.path(field).asText()).as("field `%s` in %s", field, f).isNotBlank();
            }
            assertThat(f.get("severity").asText()).isIn(SEVERITIES);
            JsonNode location = f.path("location");
            assertThat(location.path("pointer").isTextual()).as("location.pointer in %s", f).isTrue();
            assertThat(location.path("line").isInt()).as("location.line in %s", f).isTrue();
            assertThat(location.path("column").isInt()).as("location.column in %s", f).isTrue();
            assertThat(location.get("line").asInt()).as("location.line in %s", f).isPositive();
            assertThat(location.get("column").asInt()).as("location.column in %s", f).isPositive();
            // Sources are the paths as the user typed them (relative, forward slashes).
            assertThat(f.get("source").asText()).startsWith("infra/").doesNotContain("\\");
        }

        JsonNode admin = Fixtures.first(findings, "ADMIN_ACCESS").orElseThrow(() -> new AssertionError(r.toString()));
        assertThat(admin.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(admin.get("source").asText()).isEqualTo("infra/iam/admin.json");
        assertThat(admin.get("location").get("pointer").asText()).isEqualTo("/Statement/0/Action");
        // line:column point at the value of "Action" in the file.
        assertThat(Fixtures.textAt(dir.resolve("infra/iam/admin.json"), admin.get("location").get("line").asInt(),
                admin.get("location").get("column").asInt())).startsWith("\"*\"");

        // The summary agrees with the findings.
        JsonNode summary = r.json().get("summary");
        assertThat(summary.get("findings").asInt()).isEqualTo(findings.size());
        assertThat(summary.get("critical").asInt()).isEqualTo(findings.stream().filter(f -> f.get("severity").asText().equals("CRITICAL")).count());
        assertThat(summary.get("high").asInt()).isEqualTo(findings.stream().filter(f -> f.get("severity").asText().equals("HIGH")).count());
    }

    @Test
    void sarifIsWhatGitHubCodeScanningReads() {
        Cli.Result r = Cli.run(dir, "check", "--format", "sarif", "infra");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        JsonNode root = r.json();
        assertThat(root.path("version").asText()).isEqualTo("2.1.0");
        JsonNode run = root.path("runs").path(0);
        JsonNode rules = run.path("tool").path("driver").path("rules");
        assertThat(rules.isArray()).as("runs[0].tool.driver.rules").isTrue();
        assertThat(rules.size()).isPositive();
        Set<String> ruleIds = new HashSet<>();
        for (JsonNode rule : rules) {
            assertThat(rule.path("id").asText()).as("rule %s", rule).isNotBlank();
            ruleIds.add(rule.get("id").asText());
        }
        assertThat(ruleIds).contains("ADMIN_ACCESS", "PASSROLE_UNRESTRICTED", "MALFORMED_POLICY");

        JsonNode results = run.path("results");
        assertThat(results.isArray()).isTrue();
        assertThat(results.size()).isPositive();
        Set<String> resultRules = new HashSet<>();
        Set<String> uris = new HashSet<>();
        for (JsonNode result : results) {
            String ruleId = result.path("ruleId").asText();
            assertThat(ruleIds).as("result %s refers to a declared rule", result).contains(ruleId);
            resultRules.add(ruleId);
            assertThat(result.path("level").asText()).as("level of %s", result).isIn("error", "warning", "note");
            assertThat(result.path("message").path("text").asText()).isNotBlank();
            JsonNode physical = result.path("locations").path(0).path("physicalLocation");
            String uri = physical.path("artifactLocation").path("uri").asText();
            assertThat(uri).as("uri of %s", result).isNotBlank().doesNotContain("\\").doesNotStartWith("/")
                    .doesNotStartWith("file:").doesNotStartWith("./");
            uris.add(uri);
            assertThat(physical.path("region").path("startLine").asInt()).as("startLine of %s", result).isGreaterThanOrEqualTo(1);
        }
        assertThat(resultRules).contains("ADMIN_ACCESS", "PASSROLE_UNRESTRICTED");
        assertThat(uris).contains("infra/iam/admin.json", "infra/iam/ci-passrole.json", "infra/template.yaml");
        // Relative URIs name their base, and the base is the working directory (the checkout in CI).
        results.forEach(x -> assertThat(x.path("locations").path(0).path("physicalLocation").path("artifactLocation")
                .path("uriBaseId").asText()).isEqualTo("%SRCROOT%"));
        assertThat(run.path("originalUriBaseIds").path("%SRCROOT%").path("uri").asText())
                .isEqualTo(dir.toUri().toString().endsWith("/") ? dir.toUri().toString() : dir.toUri() + "/");
    }

    @Test
    void sarifNamesTheOtherPolicyOfAnEscalationAndFilesOutsideTheCheckoutByAbsoluteUri() throws Exception {
        Path outside = Files.createTempDirectory("iam-guardrail-outside");
        try {
            Files.writeString(dir.resolve("infra/iam/build starter.json"), "{\"Version\":\"2012-10-17\",\"Statement\":"
                    + "[{\"Effect\":\"Allow\",\"Action\":[\"codebuild:CreateProject\",\"codebuild:StartBuild\"],\"Resource\":\"*\"}]}");
            Path passRole = outside.resolve("pass-role.json");
            Files.writeString(passRole, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}");
            Cli.Result r = Cli.run(dir, "check", "--together", "--format", "sarif", "infra/iam/build starter.json",
                    passRole.toString());
            assertNoStackTrace(r);
            JsonNode escalation = null;
            for (JsonNode x : r.json().path("runs").path(0).path("results")) {
                if (x.path("ruleId").asText().equals("PRIVILEGE_ESCALATION")) {
                    escalation = x;
                }
            }
            assertThat(escalation).as("%s", r).isNotNull();
            JsonNode here = escalation.path("locations").path(0).path("physicalLocation").path("artifactLocation");
            assertThat(here.path("uri").asText()).isEqualTo("infra/iam/build%20starter.json");
            assertThat(here.path("uriBaseId").asText()).isEqualTo("%SRCROOT%");
            JsonNode related = escalation.path("relatedLocations").path(0);
            assertThat(related.path("id").asInt()).isEqualTo(1);
            JsonNode there = related.path("physicalLocation").path("artifactLocation");
            assertThat(there.path("uri").asText()).isEqualTo(passRole.toUri().toString()).startsWith("file:///");
            assertThat(there.has("uriBaseId")).isFalse();
            assertThat(related.path("physicalLocation").path("region").path("startLine").asInt()).isPositive();
        } finally {
            try (var files = Files.walk(outside)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void sarifUrisAreRelativeToTheWorkingDirectoryEvenForAbsolutePaths() {
        Cli.Result r = Cli.run(dir, "check", "--format", "sarif", dir.resolve("infra").toAbsolutePath().toString());
        assertNoStackTrace(r);
        Set<String> uris = new HashSet<>();
        r.json().path("runs").path(0).path("results")
                .forEach(x -> uris.add(x.path("locations").path(0).path("physicalLocation").path("artifactLocation").path("uri").asText()));
        assertThat(uris).as("%s", r).contains("infra/iam/admin.json").allSatisfy(u -> assertThat(u).doesNotStartWith("/"));
    }

    @Test
    void textIsGroupedByFileWithRuleIdLocationAndFix() {
        Cli.Result r = Cli.run(dir, "check", "infra/iam/lambda-execution.json", "infra/iam/admin.json", "infra/iam/ci-passrole.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);

        // File headers start in column 1; findings are indented under them.
        Pattern finding = Pattern.compile("^\\s+(CRITICAL|HIGH|MEDIUM|LOW|INFO)\\s+([A-Z_]+)\\s+(\\d+):(\\d+)\\s+(/\\S*)$");
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        String current = null;
        int fixLines = 0;
        List<String> lines = r.out().lines().toList();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            if (!line.startsWith(" ") && line.endsWith(".json")) {
                current = line;
                assertThat(byFile).as("each file has one group\n%s", r).doesNotContainKey(current);
                byFile.put(current, new ArrayList<>());
                continue;
            }
            Matcher m = finding.matcher(line);
            if (m.matches()) {
                assertThat(current).as("finding before any file header\n%s", r).isNotNull();
                byFile.get(current).add(m.group(2) + " " + m.group(3) + ":" + m.group(4) + " " + m.group(5));
            }
            if (line.strip().startsWith("fix: ")) {
                fixLines++;
            }
        }
        assertThat(byFile.keySet()).as("%s", r).containsExactlyInAnyOrder("infra/iam/admin.json", "infra/iam/ci-passrole.json");
        assertThat(byFile.get("infra/iam/admin.json")).containsExactly("ADMIN_ACCESS 7:17 /Statement/0/Action");
        assertThat(byFile.get("infra/iam/ci-passrole.json")).containsExactly("PASSROLE_UNRESTRICTED 7:17 /Statement/0/Action");
        assertThat(fixLines).as("one fix: line per finding\n%s", r).isEqualTo(2);
        assertThat(r.out()).contains("fix: Grant only the actions the workload uses");
        assertThat(lines.get(lines.size() - 1)).as("summary line").contains("2 findings", "1 critical", "1 high", "3 files");
    }

    @Test
    void textForACleanPolicySaysSo() {
        Cli.Result r = Cli.run(dir, "check", "infra/iam/lambda-execution.json");
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out().strip()).isEqualTo("0 findings in 1 file");
    }
}
