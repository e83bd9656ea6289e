package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.iamguardrail.e2e.Fixtures.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;

/** Malformed input is a located MALFORMED_POLICY finding, never a crash, and never stops the run. */
class MalformedInputTest {

    @TempDir
    Path dir;

    @Test
    void truncatedJsonIsAFindingWithTheLineWhereItBreaks() throws Exception {
        Path truncated = Fixtures.copy(dir, "malformed/truncated.json");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "truncated.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).as("%s", r).isEmpty();
        List<JsonNode> findings = r.findings();
        assertThat(r.ruleIds()).as("%s", r).containsExactly("MALFORMED_POLICY");
        JsonNode f = findings.get(0);
        assertThat(f.get("source").asText()).isEqualTo("truncated.json");
        assertThat(f.get("severity").asText()).isEqualTo("HIGH");
        assertThat(f.get("message").asText()).containsIgnoringCase("JSON");
        // The file ends in the middle of a string on its last line; that is where the parser gives up.
        long lastLine = Files.readString(truncated).lines().count();
        assertThat(f.get("location").get("line").asInt()).as("%s", f).isEqualTo((int) lastLine);
        assertThat(f.get("location").get("column").asInt()).as("%s", f).isPositive();
    }

    @Test
    void truncatedJsonInTextShowsTheLine() {
        Fixtures.copy(dir, "malformed/truncated.json");
        Cli.Result r = Cli.run(dir, "check", "truncated.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsPattern("HIGH\\s+MALFORMED_POLICY\\s+8:\\d+");
    }

    @Test
    void aWrongTypeNamesTheElementAndPointsAtIt() {
        Path file = Fixtures.copy(dir, "malformed/wrong-type.json");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "wrong-type.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.ruleIds()).as("%s", r).containsExactly("MALFORMED_POLICY");
        JsonNode f = r.findings().get(0);
        assertThat(f.get("message").asText()).contains("`Action`", "number").contains("Broken");
        assertThat(f.get("location").get("pointer").asText()).isEqualTo("/Statement/0/Action");
        assertThat(Fixtures.textAt(file, f.get("location").get("line").asInt(), f.get("location").get("column").asInt()))
                .startsWith("5");

        Cli.Result text = Cli.run(dir, "check", "wrong-type.json");
        assertThat(text.out()).contains("MALFORMED_POLICY  7:17 /Statement/0/Action", "expected `Action` to be a string or an array of strings but found a number");
    }

    @Test
    void malformedFilesDoNotHideFindingsInOtherFiles() {
        Fixtures.copy(dir, "malformed/truncated.json");
        Fixtures.copy(dir, "malformed/wrong-type.json");
        Fixtures.copy(dir, "policies/admin.json");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "truncated.json", "wrong-type.json", "admin.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.findings()).extracting(f -> f.get("source").asText() + " " + f.get("ruleId").asText())
                .containsExactlyInAnyOrder("truncated.json MALFORMED_POLICY", "wrong-type.json MALFORMED_POLICY", "admin.json ADMIN_ACCESS");
        assertThat(r.json().get("summary").get("files").asInt()).isEqualTo(3);
    }

    @Test
    void hostileInputIsReportedNotCrashedOn() {
        Fixtures.write(dir, "empty.json", "");
        Fixtures.write(dir, "deep.json", "[".repeat(5000) + "]".repeat(5000));
        Fixtures.write(dir, "duplicate-key.json",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
        Fixtures.write(dir, "statement-object.json", "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":{}}}");
        Fixtures.write(dir, "yaml-aliases.yaml", "Version: \"2012-10-17\"\nStatement:\n  - &s {Effect: Allow, Action: \"s3:GetObject\", Resource: \"arn:aws:s3:::b/*\"}\n  - *s\n");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "empty.json", "deep.json", "duplicate-key.json",
                "statement-object.json", "yaml-aliases.yaml");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.ruleIds()).as("%s", r).contains("MALFORMED_POLICY").doesNotContain("ENGINE_ERROR");
        assertThat(r.findings()).extracting(f -> f.get("source").asText())
                .contains("empty.json", "deep.json", "duplicate-key.json", "statement-object.json");
    }
}
