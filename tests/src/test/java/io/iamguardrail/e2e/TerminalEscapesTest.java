package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event fields, policy text, file names and account data that carry a terminal escape (ESC [2J clears the screen,
 * ESC ] 0; retitles the window) and a right-to-left override (U+202E): `check`, `replay` and `audit` print them as
 * visible escapes, never raw, while their JSON output keeps the values exact.
 */
class TerminalEscapesTest {

    static final String ESC = "\u001b";
    static final String RLO = "\u202E";
    /** As written inside a JSON string in the input file, and as printed: the visible escapes are JSON's own. */
    static final String HOSTILE_JSON = "\\u001b[2J\\u001b]0;all clear\\u0007\\u202e";
    static final String HOSTILE_SHOWN = HOSTILE_JSON;

    @TempDir
    Path dir;

    static void assertNothingRaw(Cli.Result r) {
        assertThat(r.out() + r.err()).as("%s", r).doesNotContain(ESC).doesNotContain(RLO).doesNotContain("\u0007");
    }

    @Test
    void replayPrintsAHostileRoleNameAsEscapes() throws IOException {
        Fixtures.write(dir, "event.json", ReplayCommandTest.ATTACH_ADMIN.replace("\"deploy\"", "\"deploy" + HOSTILE_JSON + "\""));
        Cli.Result r = Cli.run(dir, "replay", "event.json");

        Fixtures.assertNoStackTrace(r);
        assertNothingRaw(r);
        assertThat(r.out()).contains("  target: role deploy" + HOSTILE_SHOWN);

        Cli.Result json = Cli.run(dir, "replay", "--format", "json", "event.json");
        assertNothingRaw(json);
        assertThat(json.json().path("events").get(0).path("target").asText())
                .as("JSON output keeps the value exact").startsWith("role deploy" + ESC + "[2J" + ESC + "]0;all clear\u0007" + RLO + " ");
    }

    @Test
    void checkPrintsAHostileFileNameAndStatementIdAsEscapes() throws IOException {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Ok" + HOSTILE_JSON + "\",\"Effect\":\"Allow\","
                + "\"Action\":\"*\",\"Resource\":\"*\"}]}";
        Files.writeString(dir.resolve("readonly" + RLO + "nosj.json"), policy, StandardCharsets.UTF_8);
        Cli.Result r = Cli.run(dir, "check", ".");

        Fixtures.assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertNothingRaw(r);
        assertThat(r.out()).contains("readonly\\u202enosj.json", "statement `Ok" + HOSTILE_SHOWN + "`");
    }

    @Test
    void auditPrintsAHostileRoleNameAsEscapesOnScreenAndInTheTextFile() throws IOException {
        String details = Files.readString(AuditCommandTest.DETAILS, StandardCharsets.UTF_8)
                .replace("vendor-admin", "vendor-admin" + HOSTILE_JSON);
        Fixtures.write(dir, "details.json", details);

        Cli.Result r = Cli.run(dir, "audit", "--authorization-details", "details.json");
        assertNothingRaw(r);
        assertThat(r.out()).contains("role/vendor-admin" + HOSTILE_SHOWN);

        Cli.Result file = Cli.run(dir, "audit", "--authorization-details", "details.json", "--output", "report.txt");
        String written = Files.readString(dir.resolve("report.txt"), StandardCharsets.UTF_8);
        assertThat(written).as("a report read later with cat is as safe").doesNotContain(ESC).doesNotContain(RLO)
                .contains("vendor-admin" + HOSTILE_SHOWN);
        assertThat(file.exit()).isEqualTo(1);

        JsonNode json = Cli.run(dir, "audit", "--authorization-details", "details.json", "--format", "json").json();
        assertThat(json.toString()).contains("vendor-admin\\u001B[2J");
    }
}
