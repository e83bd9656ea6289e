package io.iamguardrail.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.iamguardrail.Policies;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.ConfigException;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.pipeline.EventLedger;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.policy.Diagnostic;
import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.rules.Rules;
import io.iamguardrail.state.OfflineState;
import io.iamguardrail.template.TemplateReader;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of every reader of untrusted input: the policy parser, the event decoder (with the
 * offline pipeline behind it), the template reader and the configuration reader. Whatever the bytes, each answers
 * with a result or a located error that says what it expected; an uncaught exception is a finding.
 *
 * <p>A normal build runs only the seed corpus ({@code HostileInputFuzzTestInputs/<method>/}: real events, policies,
 * templates and configurations, plus truncated, nested, duplicated and non-UTF-8 variants), in seconds. Fuzzing:
 * {@code bench/fuzz.sh} (sets {@code JAZZER_FUZZ=1}; new crashing inputs land in the corpus directory).
 */
class HostileInputFuzzTest {

    private static final PolicyKind[] KINDS = {null, PolicyKind.IDENTITY, PolicyKind.TRUST};
    private static final GuardrailService OFFLINE = new GuardrailService(
            new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()), GuardrailConfig.defaults(),
                    Optional.of("arn:aws:iam::123456789012:role/iam-guardrail-evaluator")),
            alert -> "offline", EventLedger.NONE, DecisionLog.silent(), () -> 0);

    @FuzzTest(maxDuration = "10m")
    void policyParser(byte[] input) {
        ParseResult r = PolicyParser.parse(input, KINDS[input.length % KINDS.length]);
        assertThat(r.document().isPresent() || !r.diagnostics().isEmpty())
                .as("a policy without a document must say why").isTrue();
        for (Diagnostic d : r.diagnostics()) {
            assertThat(d.message()).as("diagnostic message").isNotBlank();
            assertThat(d.at()).as("diagnostic location of %s", d.message()).isNotNull();
        }
        Report report = Policies.engine().evaluate(Subject.of(new io.iamguardrail.engine.SourcedPolicy("fuzz.json",
                "fuzz.json", io.iamguardrail.engine.SourcedPolicy.Origin.STANDALONE, r)));
        assertThat(report.findings()).extracting(Finding::ruleId).doesNotContain("ENGINE_ERROR");
    }

    @FuzzTest(maxDuration = "10m")
    void eventDecoderAndPipeline(byte[] input) {
        GuardrailService.Outcome o = OFFLINE.process(input, "fuzz");
        Decision d = o.decision();
        assertThat(d.reason()).isNotBlank();
        if (d.verdict() == Verdict.ERROR) {
            // Only a malformed event is an error; the evaluation of a well-formed one must never throw.
            assertThat(d.reason()).startsWith("malformed event: ").contains("expected");
        }
        assertThat(d.findings()).extracting(Finding::ruleId).doesNotContain("ENGINE_ERROR");
        if (o.alert().isPresent()) {
            assertThat(o.alert().get().json()).isNotBlank();
            assertThat(o.alert().get().email()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "10m")
    void templateReader(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Node root;
        try {
            root = text.stripLeading().startsWith("{") ? NodeReader.readJson(input) : NodeReader.readYaml(text);
        } catch (NodeReadException e) {
            assertThat(e.getMessage()).startsWith("expected");
            assertThat(e.at()).isNotNull();
            return;
        }
        if (root instanceof Node.Obj template && TemplateReader.isTemplate(root)) {
            for (Subject subject : TemplateReader.read(template, "template.yaml")) {
                Report report = Policies.engine().evaluate(subject);
                assertThat(report.findings()).extracting(Finding::ruleId).doesNotContain("ENGINE_ERROR");
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void configReader(byte[] input) {
        try {
            GuardrailConfig config = new ConfigLoader(Rules.configurableIds())
                    .load(new String(input, StandardCharsets.UTF_8), "config.yaml");
            assertThat(config.mode()).isNotNull();
        } catch (ConfigException e) {
            // Located: the source name, then where, and what was expected (or the keys that are valid).
            assertThat(e.getMessage()).startsWith("config.yaml");
            assertThat(e.getMessage().contains("expected") || e.getMessage().contains("valid keys"))
                    .as("says what was expected: %s", e.getMessage()).isTrue();
        }
    }
}
