package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.iamguardrail.e2e.Fixtures.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;

/** Folders are walked recursively; JSON and YAML that are neither policy nor template are skipped, not failed. */
class FoldersTest {

    private static final String PACKAGE_JSON = "{\n  \"name\": \"orders-infra\",\n  \"version\": \"1.4.0\",\n"
            + "  \"scripts\": {\"deploy\": \"cdk deploy\"},\n  \"dependencies\": {\"aws-cdk-lib\": \"^2.150.0\"}\n}\n";
    private static final String TSCONFIG = "{\"compilerOptions\": {\"target\": \"ES2022\", \"strict\": true}}\n";

    @TempDir
    Path dir;

    @BeforeEach
    void repository() {
        Fixtures.copy(dir, "policies/lambda-execution.json", "infra/iam/orders/lambda-execution.json");
        Fixtures.write(dir, "infra/package.json", PACKAGE_JSON);
        Fixtures.write(dir, "infra/tsconfig.json", TSCONFIG);
        Fixtures.write(dir, "infra/README.md", "# infra\n");
    }

    @Test
    void nonPolicyJsonIsSkippedAndDoesNotFailTheRun() {
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "infra");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(0);
        assertThat(r.findings()).as("%s", r).isEmpty();
        List<String> skipped = new ArrayList<>();
        r.json().get("summary").get("skipped").forEach(s -> skipped.add(s.asText()));
        assertThat(skipped).containsExactlyInAnyOrder("infra/package.json", "infra/tsconfig.json");

        Cli.Result text = Cli.run(dir, "check", "infra");
        assertThat(text.exit()).as("%s", text).isEqualTo(0);
        assertThat(text.out()).contains("0 findings", "skipped 2");
    }

    @Test
    void policiesAndTemplatesAreFoundAtAnyDepth() {
        Fixtures.copy(dir, "policies/admin.json", "infra/iam/roles/break-glass/policy.json");
        Fixtures.copy(dir, "templates/orders-sam.yaml", "infra/services/orders/template.yaml");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "infra");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        List<JsonNode> findings = r.findings();
        assertThat(findings).extracting(f -> f.get("source").asText()).as("%s", r)
                .contains("infra/iam/roles/break-glass/policy.json", "infra/services/orders/template.yaml")
                .doesNotContain("infra/package.json", "infra/tsconfig.json", "infra/iam/orders/lambda-execution.json");
        assertThat(Fixtures.first(findings, "ADMIN_ACCESS")).isPresent();
        assertThat(Fixtures.first(findings, "PASSROLE_UNRESTRICTED").orElseThrow().get("source").asText())
                .isEqualTo("infra/services/orders/template.yaml");
        // 4 policies/templates + 2 skipped files; README.md is not JSON or YAML.
        assertThat(r.json().get("summary").get("files").asInt()).isEqualTo(5);
    }

    @Test
    void theSameFolderGivenTwiceOrWithATrailingSlashIsTheSame() {
        Fixtures.copy(dir, "policies/ci-passrole.json", "infra/iam/ci.json");
        Cli.Result plain = Cli.run(dir, "check", "--format", "json", "infra");
        Cli.Result slash = Cli.run(dir, "check", "--format", "json", "infra/");
        assertThat(slash.findings()).extracting(f -> f.get("source").asText() + " " + f.get("ruleId").asText())
                .isEqualTo(plain.findings().stream().map(f -> f.get("source").asText() + " " + f.get("ruleId").asText()).toList())
                .containsExactly("infra/iam/ci.json PASSROLE_UNRESTRICTED");
    }
}
