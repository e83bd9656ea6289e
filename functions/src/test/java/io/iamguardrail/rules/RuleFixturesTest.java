package io.iamguardrail.rules;

import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks {@code rules/<RULE_ID>/fail/*.json} and {@code pass/*.json} (format: {@link RuleFixture}): each fail
 * fixture must raise the rule (and the findings its {@code expect} lists), each pass fixture (the safe version of
 * a fail case) must not. Adding a rule means adding a class, its metadata and these two folders.
 */
class RuleFixturesTest {

    private static final String MALFORMED = "MALFORMED_POLICY";

    /** The fixture folder ({@link FixtureFolder}). */
    static Path root() throws URISyntaxException {
        return FixtureFolder.of("rules");
    }

    static Stream<Arguments> fixtures() throws Exception {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root())) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                Path rel = root().relativize(f);
                String display = rel.getNameCount() == 3 ? rel.getName(0) + " " + rel.getName(1) + "/" + rel.getName(2)
                        : rel.toString();
                out.add(Arguments.of(display, f));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixture(String display, Path file) throws Exception {
        RuleFixture fx = RuleFixture.load(file);
        Report report = fx.evaluate();
        Set<String> ids = report.findings().stream().map(Finding::ruleId).collect(Collectors.toCollection(TreeSet::new));
        String findings = describe(report);

        assertThat(ids).as("%s raised an engine error:%s", display, findings).doesNotContain(Engine.ENGINE_ERROR);
        if (!fx.ruleId.equals(MALFORMED)) {
            // A statement the parser rejects is dropped, so a pass could pass for the wrong reason.
            assertThat(ids).as("%s must be a valid policy:%s", display, findings).doesNotContain(MALFORMED);
        }
        if (fx.side.equals("fail")) {
            assertThat(ids).as("%s should raise %s (%s); findings:%s", display, fx.ruleId, fx.description, findings)
                    .contains(fx.ruleId);
            for (RuleFixture.Expectation e : fx.expect) {
                assertThat(report.findings().stream().anyMatch(e::matches))
                        .as("%s expects %s; findings:%s", display, e, findings).isTrue();
            }
        } else {
            assertThat(report.rulesRun()).as("%s: %s did not run, so the pass proves nothing", display, fx.ruleId)
                    .contains(fx.ruleId);
            assertThat(ids).as("%s should not raise %s (%s); findings:%s", display, fx.ruleId, fx.description, findings)
                    .doesNotContain(fx.ruleId);
        }
    }

    @Test
    void everyRuleHasPassAndFailFixturesAndEveryFolderIsARule() throws Exception {
        for (String id : Rules.ids()) {
            for (String side : List.of("pass", "fail")) {
                Path dir = root().resolve(id).resolve(side);
                boolean any = FixtureFolder.hasFixtures(root(), id, side);
                assertThat(any).as("%s has %s fixtures in %s", id, side, dir).isTrue();
            }
        }
        try (Stream<Path> dirs = Files.list(root())) {
            assertThat(dirs.map(p -> p.getFileName().toString()).toList())
                    .as("fixture folders are rule ids").allMatch(Rules.ids()::contains);
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

    private static String describe(Report report) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : report.findings()) {
            sb.append("\n  ").append(f.ruleId()).append(' ').append(f.severity()).append(" at ")
                    .append(RuleFixture.relativePointer(f).isEmpty() ? "/" : RuleFixture.relativePointer(f))
                    .append(": ").append(f.message());
        }
        for (Report.Suppressed s : report.suppressed()) {
            sb.append("\n  (suppressed: ").append(s.finding().ruleId()).append(", ").append(s.reason()).append(')');
        }
        return sb.length() == 0 ? " none" : sb.toString();
    }
}
