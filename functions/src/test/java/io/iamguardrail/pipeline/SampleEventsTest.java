package io.iamguardrail.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.state.OfflineState;
import io.iamguardrail.tamper.OwnStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sample in events/ (the same files `sam local invoke -e` and the README's replay use), against what
 * events/manifest.json says the offline pipeline concludes: verdict and the rules that must fire.
 */
class SampleEventsTest {

    static final Path EVENTS = Path.of("../events");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> samples() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode e : JSON.readTree(EVENTS.resolve("manifest.json").toFile()).get("events")) {
            List<String> rules = new ArrayList<>();
            e.get("offline").get("rules").forEach(r -> rules.add(r.asText()));
            Map<String, String> ownStack = new HashMap<>();
            e.path("ownStack").fields().forEachRemaining(v -> ownStack.put(v.getKey(), v.getValue().asText()));
            out.add(Arguments.of(e.get("file").asText(), e.get("eventName").asText(),
                    Verdict.valueOf(e.get("offline").get("verdict").asText()), rules, ownStack));
        }
        return out.stream();
    }

    private static final GuardrailService SERVICE = new GuardrailService(new EventEvaluator(
            new OfflineState(ManagedPolicySnapshot.bundled()), GuardrailConfig.defaults(), Optional.empty()),
            a -> "offline", EventLedger.NONE, DecisionLog.silent(), () -> 0);

    /** A sample about the guardrail's own stack is evaluated as that stack's function would (its environment). */
    private static GuardrailService service(Map<String, String> ownStack) {
        if (ownStack.isEmpty()) {
            return SERVICE;
        }
        return new GuardrailService(new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()),
                GuardrailConfig.defaults(), GuardrailIdentity.none(), OwnStack.fromEnvironment(ownStack)),
                a -> "offline", EventLedger.NONE, DecisionLog.silent(), () -> 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sample(String file, String eventName, Verdict verdict, List<String> rules, Map<String, String> ownStack)
            throws IOException {
        Decision d = service(ownStack).process(Files.readAllBytes(EVENTS.resolve(file)), file).decision();
        assertThat(d.eventName()).isEqualTo(eventName);
        assertThat(d.verdict()).as("%s: %s %s", file, d.reason(), d.findings()).isEqualTo(verdict);
        for (String rule : rules) {
            assertThat(d.findings()).as("%s should raise %s: %s", file, rule, d.findings()).anyMatch(f -> f.ruleId().equals(rule));
        }
    }

    @Test
    void everySampleIsInTheManifestAndEveryKindOfCallHasASample() throws IOException {
        Set<String> listed = new HashSet<>();
        Set<String> names = new HashSet<>();
        samples().forEach(a -> {
            listed.add((String) a.get()[0]);
            names.add((String) a.get()[1]);
        });
        // The audit's scheduled invocation is not a CloudTrail event: listed apart, with the function it is for.
        for (JsonNode e : JSON.readTree(EVENTS.resolve("manifest.json").toFile()).path("scheduled")) {
            listed.add(e.get("file").asText());
        }
        try (Stream<Path> files = Files.list(EVENTS)) {
            List<String> samples = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.equals("manifest.json") && !n.equals("env.json")).toList();
            assertThat(listed).containsExactlyInAnyOrderElementsOf(samples);
        }
        // One sample per kind of call the guardrail knows: adding a kind means adding its sample.
        assertThat(names).containsAll(Arrays.stream(EventKind.values()).map(Enum::name).toList());
    }
}
