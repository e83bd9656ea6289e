package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * action.yml and .pre-commit-hooks.yaml, as GitHub and pre-commit read them: they run the launcher that exists, with
 * options `check` accepts, and no workflow input is ever pasted into a shell script (where `paths: "x; curl ..."`
 * would run), only passed through the environment.
 */
class PackagingTest {

    static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theActionPassesInputsOnlyThroughTheEnvironment() throws Exception {
        JsonNode action = YAML.readTree(ROOT.resolve("action.yml").toFile());
        assertThat(action.path("runs").path("using").asText()).isEqualTo("composite");
        List<String> scripts = new ArrayList<>();
        for (JsonNode step : action.path("runs").path("steps")) {
            if (step.has("run")) {
                scripts.add(step.path("run").asText());
                assertThat(step.path("run").asText()).as("a run script of action.yml").doesNotContain("${{");
            }
        }
        assertThat(scripts).anyMatch(s -> s.contains("\"$GITHUB_ACTION_PATH/bin/iam-guardrail\" check")
                && s.contains("--format sarif"));
        assertThat(action.path("runs").path("steps").findValuesAsText("uses"))
                .anyMatch(u -> u.startsWith("github/codeql-action/upload-sarif@"));
    }

    @Test
    void theSarifTheActionUploadsIsWhatCheckWrites() {
        Cli.Result r = Cli.run(ROOT, "check", "--format", "sarif", "--fail-on", "HIGH", "--account", "111122223333",
                "--", "functions/examples");

        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.json().path("version").asText()).isEqualTo("2.1.0");
        assertThat(r.json().path("runs").get(0).path("results")).isNotEmpty();
    }

    @Test
    void thePreCommitHookRunsTheLauncherThatShips() throws Exception {
        JsonNode hooks = YAML.readTree(ROOT.resolve(".pre-commit-hooks.yaml").toFile());
        JsonNode hook = hooks.get(0);
        assertThat(hook.path("id").asText()).isEqualTo("iam-guardrail-check");
        String entry = hook.path("entry").asText();
        assertThat(entry).isEqualTo("bin/iam-guardrail check");
        assertThat(Files.isExecutable(ROOT.resolve("bin/iam-guardrail"))).isTrue();
        assertThat(hook.path("pass_filenames").asBoolean(true)).as("folders are passed, so other JSON is skipped").isFalse();
    }
}
