package io.iamguardrail.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.WatchFacts;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.pipeline.GuardrailIdentity;
import io.iamguardrail.remediation.OwnChanges;
import io.iamguardrail.state.OfflineState;
import io.iamguardrail.tamper.OwnStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks {@code change-rules/<RULE_ID>/fail/*.json} and {@code pass/*.json}: each holds a CloudTrail record in its
 * EventBridge shape ({@code event}) and a {@code description}. A fail fixture must raise the rule, a pass fixture
 * (the harmless change closest to it) must not.
 *
 * <p>Without {@code facts} the record goes through the real-time evaluator as it runs offline (no IAM, the bundled AWS
 * managed policies, the sample stack of {@code events/env.json}), so what the rule concludes is what an alert would
 * say. With {@code facts} the rule is given what the evaluator would have read from live IAM (a group's privilege,
 * the policies that read a tag): the fixture states that reading, which an offline run cannot make.
 */
class ChangeRuleFixturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Path root() throws URISyntaxException {
        return FixtureFolder.of("change-rules");
    }

    static Stream<Arguments> fixtures() throws Exception {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root())) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                Path rel = root().relativize(f);
                out.add(Arguments.of(rel.toString(), f));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixture(String display, Path file) throws Exception {
        Path rel = root().relativize(file);
        String ruleId = rel.getName(0).toString();
        String side = rel.getName(1).toString();
        JsonNode fx = JSON.readTree(file.toFile());
        String description = fx.path("description").asText("");
        assertThat(description).as("%s says what the change is", display).isNotBlank();
        CloudTrailEvent event = EventDecoder.decode(JSON.writeValueAsBytes(fx.get("event"))).event()
                .orElseThrow(() -> new AssertionError(display + ": the event is not a CloudTrail record the decoder reads"));

        List<Finding> findings = fx.has("facts") ? rule(ruleId).check(event, facts(fx.get("facts")))
                : evaluator().evaluate(event).findings();

        List<String> raised = findings.stream().map(f -> f.ruleId() + ": " + f.message()).toList();
        boolean fired = findings.stream().anyMatch(f -> f.ruleId().equals(ruleId));
        if (side.equals("fail")) {
            assertThat(fired).as("%s should raise %s (%s); findings: %s", display, ruleId, description, raised).isTrue();
        } else {
            assertThat(fired).as("%s should not raise %s (%s); findings: %s", display, ruleId, description, raised).isFalse();
        }
    }

    @Test
    void everyChangeRuleHasPassAndFailFixturesAndEveryFolderIsAChangeRule() throws Exception {
        Set<String> ids = eventRules().keySet();
        for (String id : ids) {
            for (String side : List.of("pass", "fail")) {
                Path dir = root().resolve(id).resolve(side);
                boolean any = FixtureFolder.hasFixtures(root(), id, side);
                assertThat(any).as("change rule %s has %s fixtures in %s", id, side, dir).isTrue();
            }
        }
        try (Stream<Path> dirs = Files.list(root())) {
            assertThat(dirs.map(p -> p.getFileName().toString()).toList())
                    .as("fixture folders are change rule ids").allMatch(ids::contains);
        }
        try (Stream<Path> files = Files.walk(root())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = root().relativize(f);
                assertThat(rel.getNameCount() == 3 && Set.of("pass", "fail").contains(rel.getName(1).toString())
                        && rel.getFileName().toString().endsWith(".json"))
                        .as("%s is not of the form RULE_ID/(pass|fail)/name.json", rel).isTrue();
            }
        }
    }

    private static Map<String, EventRule> eventRules() {
        Map<String, EventRule> rules = new TreeMap<>();
        Rules.events().forEach(r -> rules.put(r.metadata().id(), r));
        return rules;
    }

    private static EventRule rule(String id) {
        EventRule rule = eventRules().get(id);
        assertThat(rule).as("%s is a change rule", id).isNotNull();
        return rule;
    }

    /** What the evaluator read from IAM, as the fixture states it. */
    private static EventRule.Facts facts(JsonNode facts) {
        List<String> tagConditions = new ArrayList<>();
        facts.path("tagConditions").forEach(c -> tagConditions.add(c.asText()));
        WatchFacts watch = new WatchFacts(text(facts, "removedDeny"), text(facts, "removedQuarantine"),
                text(facts, "privilegedRole"), tagConditions);
        return new EventRule.Facts(text(facts, "privilegedGroupBecause"),
                facts.path("unrecordedGuardrailChange").asBoolean(false), watch);
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }

    /** The evaluator as the sample stack configures it, offline, with no change of its own recorded. */
    private static EventEvaluator evaluator() throws IOException {
        Map<String, String> env = new TreeMap<>();
        JSON.readTree(Path.of("..", "events", "env.json").toFile()).get("EvaluatorFunction").fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        GuardrailIdentity guardrail = GuardrailIdentity.of(Optional.of(env.get("GUARDRAIL_ROLE_ARN")),
                Optional.of(env.get("GUARDRAIL_ROLE_ARNS")), OwnChanges.inMemory(Clock.systemUTC()));
        return new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()), GuardrailConfig.defaults(), guardrail,
                OwnStack.fromEnvironment(env));
    }
}
