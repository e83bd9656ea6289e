package io.iamguardrail.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.notify.AlertDocument;
import io.iamguardrail.notify.BurstPlan;
import io.iamguardrail.notify.Notice;
import io.iamguardrail.notify.Remediation;
import io.iamguardrail.notify.SlackBlocks;
import io.iamguardrail.notify.SlackHeight;
import io.iamguardrail.notify.SlackMessage;
import io.iamguardrail.notify.SlackRenderer;
import io.iamguardrail.state.OfflineState;
import io.iamguardrail.tamper.OwnStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static io.iamguardrail.pipeline.SampleEventsTest.EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every alert of the events/ samples, as the notifier would post it to Slack: top-level blocks only, within Block
 * Kit's limits, no section folded behind "Show more", and an estimated height ({@link SlackHeight}) within one screen
 * with the fix, and the undo when the guardrail acted, on it. Each sample is rendered as ALERT mode publishes it and,
 * when REMEDIATE mode would act, as the executor reports an action taken; all of them together also go through the
 * burst grouping, so the digests are measured too.
 */
class SlackScreenTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each sample of events/manifest.json that raises an alert offline, with its alert document. */
    static Stream<Arguments> alerts() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode e : JSON.readTree(EVENTS.resolve("manifest.json").toFile()).get("events")) {
            Map<String, String> ownStack = new HashMap<>();
            e.path("ownStack").fields().forEachRemaining(v -> ownStack.put(v.getKey(), v.getValue().asText()));
            GuardrailService service = new GuardrailService(new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()),
                    GuardrailConfig.defaults(), GuardrailIdentity.none(), OwnStack.fromEnvironment(ownStack)),
                    a -> "offline", EventLedger.NONE, DecisionLog.silent(), () -> 0);
            String file = e.get("file").asText();
            service.process(Files.readAllBytes(EVENTS.resolve(file)), file).alert()
                    .flatMap(Alert::document).ifPresent(a -> out.add(Arguments.of(file, a)));
        }
        return out.stream();
    }

    /** The alert as the executor reports it after acting on the plan ALERT mode describes: DONE, backup, undo. */
    static AlertDocument acted(AlertDocument a) {
        Remediation plan = a.remediation();
        List<Remediation.Action> done = plan.actions().stream().map(x -> new Remediation.Action(x.action(), x.target(),
                Optional.of("DONE"), x.detail().map(d -> d.replaceFirst("^would ", "") + "; verified by re-reading"))).toList();
        String backup = a.event().id() + "/1";
        Remediation r = new Remediation(Optional.empty(), Optional.of("REMEDIATE"), Optional.of("DONE"),
                Optional.of(String.join("; ", done.stream().map(x -> "DONE: " + x.detail().orElse("")).toList())), done,
                Optional.of(backup), Optional.of("java -jar iam-guardrail.jar restore '" + backup + "' --backup-bucket"
                + " iam-guardrail-backups-123456789012"), plan.undoAws(), Optional.empty());
        return new AlertDocument(a.summary(), a.severity(), a.verdict(), a.event(), a.actor(), a.target(), a.findings(),
                a.findingsNotShown(), a.newAccess(), a.notes(), r);
    }

    /** Blocks only, within Block Kit's limits and the fold; the estimated height within one screen. */
    static JsonNode assertFitsOneScreen(String json, String what) throws IOException {
        JsonNode m = JSON.readTree(json);
        List<String> keys = new ArrayList<>();
        m.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("%s: top-level keys", what).containsExactlyInAnyOrder("text", "blocks");
        JsonNode blocks = m.get("blocks");
        assertThat(blocks.size()).as("%s: blocks", what).isBetween(1, 50);
        for (JsonNode b : blocks) {
            String type = b.get("type").asText();
            assertThat(type).as(what).isIn("header", "section", "context", "divider");
            if (type.equals("header")) {
                assertThat(b.get("text").get("type").asText()).isEqualTo("plain_text");
                assertThat(b.get("text").get("text").asText()).as(what).hasSizeLessThanOrEqualTo(150);
            }
            if (type.equals("section") && b.has("text")) {
                assertThat(b.get("text").get("text").asText()).as("%s: a section longer than the fold", what)
                        .hasSizeLessThanOrEqualTo(SlackBlocks.SHOW_MORE);
            }
            assertThat(b.path("fields").size()).as(what).isLessThanOrEqualTo(10);
            b.path("fields").forEach(f -> assertThat(f.get("text").asText()).as(what).hasSizeLessThanOrEqualTo(2000));
            b.path("elements").forEach(e -> assertThat(e.get("text").asText()).as(what).hasSizeLessThanOrEqualTo(2000));
        }
        assertThat(SlackHeight.of(m)).as("%s: estimated height in px", what).isLessThanOrEqualTo(SlackHeight.SCREEN);
        return m;
    }

    /** The bottom edge of the first block whose text contains {@code part}. */
    static Optional<Integer> bottomOf(JsonNode m, String part) {
        List<Integer> bottoms = SlackHeight.bottoms(m);
        for (int i = 0; i < bottoms.size(); i++) {
            if (m.get("blocks").get(i).path("text").path("text").asText().contains(part)) {
                return Optional.of(bottoms.get(i));
            }
        }
        return Optional.empty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alerts")
    void eachAlertFitsOneScreenWithItsFixAndNoUndoForAnActionNotTaken(String file, AlertDocument a) throws IOException {
        String what = file;
        JsonNode m = assertFitsOneScreen(SlackRenderer.render(a), what);
        if (!a.findings().isEmpty()) {
            assertThat(bottomOf(m, "*Fix:*")).as("%s: the first fix", what).hasValueSatisfying(
                    y -> assertThat(y).isLessThanOrEqualTo(SlackHeight.SCREEN));
        }
        assertThat(m.toString()).as("%s: ALERT mode took no action", what).doesNotContain("*Undo*", "```");
        assertThat(m.get("blocks").get(0).get("text").get("text").asText()).startsWith(a.level().emoji() + " " + a.level());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alerts")
    void anAlertWhoseActionWasTakenShowsTheUndoOnTheFirstScreen(String file, AlertDocument planned) throws IOException {
        if (planned.remediation().actions().isEmpty()) {
            return; // nothing REMEDIATE mode would act on
        }
        AlertDocument a = acted(planned);
        String what = file + " (acted)";
        JsonNode m = assertFitsOneScreen(SlackRenderer.render(a), what);
        assertThat(bottomOf(m, "*Fix:*")).as("%s: the first fix", what)
                .hasValueSatisfying(y -> assertThat(y).isLessThanOrEqualTo(SlackHeight.SCREEN));
        assertThat(bottomOf(m, "*Undo*")).as("%s: the undo", what)
                .hasValueSatisfying(y -> assertThat(y).isLessThanOrEqualTo(SlackHeight.SCREEN));
        assertThat(m.toString()).contains("restore '" + a.event().id() + "/1' --backup-bucket");
        assertThat(m.toString().split("REMEDIATE mode", -1)).as("%s: the mode said once", what).hasSize(2);
    }

    @Test
    void allSamplesAsOneBatchMakeBurstDigestsThatFitOneScreenToo() throws IOException {
        List<Notice.Alert> batch = new ArrayList<>();
        alerts().forEach(a -> batch.add(new Notice.Alert("m" + batch.size(), (AlertDocument) a.get()[1])));
        List<SlackMessage> plan = BurstPlan.plan(batch, BurstPlan.DEFAULT_THRESHOLD);
        Set<String> carried = new HashSet<>();
        int digests = 0;
        for (SlackMessage post : plan) {
            JsonNode m = assertFitsOneScreen(post.json(), "message for " + post.alertIds());
            carried.addAll(post.alertIds());
            if (post.alertIds().size() > 1) {
                digests++;
                assertThat(m.get("blocks").get(0).get("text").get("text").asText()).contains(" · Burst: ");
            }
        }
        assertThat(digests).as("the samples' actors make bursts").isGreaterThanOrEqualTo(2);
        assertThat(carried).hasSize(batch.size());
    }
}
