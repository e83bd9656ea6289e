package io.iamguardrail.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.notify.SlackHeight;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code replay --format slack}: the payloads the notifier would post for the replayed samples, offline, grouped as
 * one batch is (four alerts of bob make a burst: his worst in full and a digest of the other three), each with a
 * Block Kit Builder link that opens exactly its blocks.
 */
class SlackPreviewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String[] BOB = {"../events/attach-role-policy-admin.json", "../events/attach-user-policy-admin.json",
            "../events/create-access-key-for-other-user.json", "../events/create-login-profile-other-user.json"};

    record Run(int exit, List<JsonNode> lines, String err) {
    }

    static Run replay(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return new Run(exit, lines, err.toString());
    }

    @Test
    void eachMessageIsOneJsonLineWithItsPayloadItsHeightAndABuilderLink() throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--format", "slack"));
        args.addAll(List.of(BOB));
        args.add("../events/create-user-by-root.json");
        Run run = replay(args.toArray(String[]::new));

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.lines()).extracting(l -> l.get("kind").asText()).containsExactly("alert", "burst digest", "alert");
        assertThat(run.lines().get(0).get("sources")).hasSize(1);
        assertThat(run.lines().get(1).get("sources")).hasSize(3);
        assertThat(run.lines().get(2).get("sources").get(0).asText()).isEqualTo("../events/create-user-by-root.json");
        for (JsonNode line : run.lines()) {
            JsonNode payload = line.get("payload");
            assertThat(payload.has("attachments")).isFalse();
            assertThat(line.get("blocks").asInt()).isEqualTo(payload.get("blocks").size());
            assertThat(line.get("estimatedHeightPx").asInt()).isEqualTo(SlackHeight.of(payload))
                    .isLessThanOrEqualTo(line.get("screenPx").asInt());
            String link = line.get("blockKitBuilder").asText();
            assertThat(link).startsWith("https://app.slack.com/block-kit-builder/#%7B%22blocks%22%3A%5B").doesNotContain("+");
            JsonNode opened = JSON.readTree(URLDecoder.decode(link.substring(link.indexOf('#') + 1), StandardCharsets.UTF_8));
            assertThat(opened.get("blocks")).isEqualTo(payload.get("blocks"));
        }
        assertThat(run.lines().get(1).get("payload").get("blocks").get(0).get("text").get("text").asText())
                .isEqualTo(":rotating_light: CRITICAL · Burst: 3 more IAM alerts by bob");
    }

    @Test
    void aHigherBurstThresholdShowsEveryAlertInFullAndABadOneIsRefused() throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--format", "slack", "--burst-threshold", "4"));
        args.addAll(List.of(BOB));
        Run run = replay(args.toArray(String[]::new));
        assertThat(run.lines()).extracting(l -> l.get("kind").asText()).containsExactly("alert", "alert", "alert", "alert");

        Run bad = replay("replay", "--format", "slack", "--burst-threshold", "0", BOB[0]);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("iam-guardrail: --burst-threshold: expected at least 1 but found 0");
        assertThat(bad.lines()).isEmpty();
    }
}
