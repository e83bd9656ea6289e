package io.iamguardrail.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks {@code rules/<RULE_ID>/fail/*.json} and {@code pass/*.json}: each fail fixture must raise the rule, each
 * pass fixture (the safe version of the same case) must not. Adding a rule means adding a class, its metadata and
 * these two folders.
 *
 * <p>A fixture is a bare policy document (kind detected), or an envelope
 * {@code {"fixture": {"account", "config", "principalType", "trust", "policies": [{"name", "origin", "document"}],
 * "boundary"}, "expect": [{"ruleId", "pointer", "severity"}]}}.
 */
class RuleFixturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Path root() throws URISyntaxException {
        return Path.of(RuleFixturesTest.class.getResource("/rules").toURI());
    }

    static Stream<Arguments> fixtures() throws Exception {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String rule = f.getParent().getParent().getFileName().toString();
                String side = f.getParent().getFileName().toString();
                out.add(Arguments.of(rule + " " + side + "/" + f.getFileName(), rule, side, f));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixture(String name, String rule, String side, Path file) throws Exception {
        Report report = evaluate(file);
        Set<String> ids = new TreeSet<>();
        report.findings().forEach(f -> ids.add(f.ruleId()));
        assertThat(ids).as("findings of %s: %s", name, report.findings()).doesNotContain("ENGINE_ERROR");
        if (side.equals("fail")) {
            assertThat(ids).as("%s should raise %s; findings: %s", name, rule, report.findings()).contains(rule);
            JsonNode expect = readTree(file).map(t -> t.get("expect")).orElse(null);
            if (expect != null) {
                for (JsonNode e : expect) {
                    List<Finding> matching = report.findings().stream()
                            .filter(f -> f.ruleId().equals(e.get("ruleId").asText()))
                            .filter(f -> !e.has("pointer") || f.location().pointer().equals(e.get("pointer").asText()))
                            .filter(f -> !e.has("severity") || f.severity().name().equals(e.get("severity").asText()))
                            .toList();
                    assertThat(matching).as("%s expects %s; findings: %s", name, e, report.findings()).isNotEmpty();
                }
            }
        } else {
            assertThat(side).isEqualTo("pass");
            assertThat(ids).as("%s should not raise %s; findings: %s", name, rule, report.findings()).doesNotContain(rule);
        }
    }

    @Test
    void everyRuleHasPassAndFailFixturesAndEveryFolderIsARule() throws Exception {
        for (String id : Rules.ids()) {
            for (String side : List.of("pass", "fail")) {
                Path dir = root().resolve(id).resolve(side);
                assertThat(Files.isDirectory(dir) && Files.list(dir).findAny().isPresent())
                        .as("%s has %s fixtures in %s", id, side, dir).isTrue();
            }
        }
        try (Stream<Path> dirs = Files.list(root())) {
            assertThat(dirs.map(p -> p.getFileName().toString()).toList()).allMatch(Rules.ids()::contains);
        }
    }

    private static Optional<JsonNode> readTree(Path file) {
        try {
            return Optional.of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            return Optional.empty(); // a deliberately malformed fixture
        }
    }

    static Report evaluate(Path file) throws Exception {
        Optional<JsonNode> tree = readTree(file);
        String source = file.getFileName().toString();
        if (tree.isEmpty() || !tree.get().has("fixture")) {
            ParseResult parsed = PolicyParser.parse(Files.readAllBytes(file), null);
            return Engine.builder().build().evaluate(Subject.of(new SourcedPolicy(source, source,
                    SourcedPolicy.Origin.STANDALONE, parsed)));
        }
        JsonNode fx = tree.get().get("fixture");
        GuardrailConfig config = fx.has("config")
                ? new ConfigLoader(Rules.ids()).load(fx.get("config").toString(), source + " config")
                : GuardrailConfig.defaults();
        if (fx.has("account")) {
            config = config.withAccountId(fx.get("account").asText());
        }
        Optional<SourcedPolicy> trust = fx.has("trust") ? Optional.of(new SourcedPolicy(source, "trust",
                SourcedPolicy.Origin.TRUST, PolicyParser.parse(fx.get("trust").toString(), PolicyKind.TRUST))) : Optional.empty();
        List<SourcedPolicy> policies = new ArrayList<>();
        if (fx.has("policies")) {
            for (JsonNode p : fx.get("policies")) {
                policies.add(new SourcedPolicy(source + ":" + p.get("name").asText(), p.get("name").asText(),
                        SourcedPolicy.Origin.valueOf(p.get("origin").asText()),
                        PolicyParser.parse(p.get("document").toString(), PolicyKind.IDENTITY)));
            }
        }
        Optional<SourcedPolicy> boundary = fx.has("boundary") ? Optional.of(new SourcedPolicy(source, "boundary",
                SourcedPolicy.Origin.BOUNDARY, PolicyParser.parse(fx.get("boundary").toString(), PolicyKind.IDENTITY)))
                : Optional.empty();
        Subject.Type type = fx.has("principalType") ? Subject.Type.valueOf(fx.get("principalType").asText())
                : trust.isPresent() ? Subject.Type.ROLE : Subject.Type.NONE;
        Subject subject = new Subject(source, Optional.of("fixture-principal"), type, trust, policies, boundary);
        return Engine.builder().config(config).build().evaluate(subject);
    }
}
