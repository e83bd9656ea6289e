package io.iamguardrail.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.iamguardrail.e2e.Fixtures.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real AWS managed policies, checked as a folder the way CI would. */
class CorpusTest {

    @TempDir
    Path dir;

    @Test
    void theAwsManagedPolicyCorpusRunsWithoutEngineErrors() {
        String env = System.getenv("IAM_GUARDRAIL_CORPUS");
        String corpusDir = env != null && !env.isBlank() ? env : System.getProperty("corpus.dir");
        assumeTrue(corpusDir != null && !corpusDir.isBlank(),
                "skipped: system property corpus.dir is not set (surefire sets it to ../../shared/corpus)");
        Path corpus = Path.of(corpusDir, "aws-managed-policies").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(corpus), "skipped: the AWS managed policy corpus is absent (expected at " + corpus + ")");

        Cli.Result r = Cli.run(dir, "check", "--format", "json", corpus.toString());
        assertNoStackTrace(r);
        assertThat(r.exit()).as("exit code of %s", r).isIn(0, 1);
        assertThat(r.ruleIds()).as("%s", r).doesNotContain("ENGINE_ERROR", "MALFORMED_POLICY");
        assertThat(r.json().get("summary").get("files").asInt()).isGreaterThan(1000);
        assertThat(r.ruleIds()).contains("ADMIN_ACCESS");
    }
}
