package io.iamguardrail.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.iamguardrail.e2e.Fixtures.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The README quick start, run from the repository root. */
class ReadmeExamplesTest {

    @Test
    void theQuickStartReplaysTheSampleEvents() {
        Path examples = Path.of(System.getProperty("examples.dir", "../functions/examples")).toAbsolutePath().normalize();
        Path root = examples.getParent().getParent();
        assumeTrue(Files.isDirectory(root.resolve("events")), "skipped: no events/ at " + root);
        Cli.Result r = Cli.run(root, "replay", "events/");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).contains("events/attach-role-policy-admin.json: AttachRolePolicy", "-> ALERT", "ADMIN_ACCESS")
                .doesNotContain("-> ERROR").containsPattern("\\d+ events: \\d+ ALERT, \\d+ NO_ALERT, \\d+ SKIPPED");
    }

    @Test
    void theShiftLeftCheckRuns() {
        Path examples = Path.of(System.getProperty("examples.dir", "../functions/examples")).toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(examples), "skipped: no examples at " + examples);
        Path root = examples.getParent().getParent();
        Cli.Result r = Cli.run(root, "check", "--account", "111122223333", "functions/examples");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).contains("functions/examples/deploy-role.yaml", "TRUST_OIDC_UNSCOPED", "PRIVILEGE_ESCALATION");
    }
}
