package io.iamguardrail.e2e;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.iamguardrail.e2e.Fixtures.assertNoStackTrace;
import static io.iamguardrail.e2e.Fixtures.assertUsageError;
import static org.assertj.core.api.Assertions.assertThat;

/** Exit codes as CI sees them: 0 clean, 1 findings at or above --fail-on, 2 bad usage with a one-line reason. */
class ExitCodesTest {

    @TempDir
    Path dir;

    @BeforeEach
    void policies() {
        Fixtures.copy(dir, "policies/admin.json");
        Fixtures.copy(dir, "policies/lambda-execution.json");
        Fixtures.copy(dir, "policies/ci-passrole.json");
    }

    @Test
    void aScopedLambdaExecutionPolicyPasses() {
        Cli.Result r = Cli.run(dir, "check", "lambda-execution.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(0);
        assertThat(r.out()).as("%s", r).contains("0 findings in 1 file");
        assertThat(r.err()).as("%s", r).isEmpty();
    }

    @Test
    void anAdministratorPolicyFails() {
        Cli.Result r = Cli.run(dir, "check", "admin.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).contains("CRITICAL", "ADMIN_ACCESS");
        assertThat(r.err()).as("%s", r).isEmpty();
    }

    @Test
    void failOnDecidesWhichSeverityFailsTheBuild() {
        // iam:PassRole on * is HIGH (PASSROLE_UNRESTRICTED) and nothing is CRITICAL.
        Cli.Result byDefault = Cli.run(dir, "check", "ci-passrole.json");
        assertThat(byDefault.exit()).as("%s", byDefault).isEqualTo(1);
        assertThat(byDefault.out()).contains("HIGH", "PASSROLE_UNRESTRICTED").doesNotContain("CRITICAL");

        Cli.Result criticalOnly = Cli.run(dir, "check", "--fail-on", "CRITICAL", "ci-passrole.json");
        assertThat(criticalOnly.exit()).as("%s", criticalOnly).isEqualTo(0);
        assertThat(criticalOnly.out()).as("the finding is still shown").contains("PASSROLE_UNRESTRICTED");

        Cli.Result adminCriticalOnly = Cli.run(dir, "check", "--fail-on", "CRITICAL", "admin.json", "ci-passrole.json");
        assertThat(adminCriticalOnly.exit()).as("%s", adminCriticalOnly).isEqualTo(1);
    }

    @Test
    void aMissingFileIsBadUsage() {
        Cli.Result r = Cli.run(dir, "check", "does-not-exist.json");
        assertUsageError(r);
        assertThat(r.err()).contains("does-not-exist.json", "no such file");
    }

    @Test
    void aMissingFileNextToGoodFilesIsStillBadUsage() {
        Cli.Result r = Cli.run(dir, "check", "lambda-execution.json", "typo.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("typo.json");
    }

    @Test
    void anUnknownOptionIsBadUsage() {
        Cli.Result r = Cli.run(dir, "check", "--verbose", "admin.json");
        assertUsageError(r);
        assertThat(r.err()).contains("--verbose");
    }

    @Test
    void anUnknownFailOnSeverityIsBadUsage() {
        Cli.Result r = Cli.run(dir, "check", "--fail-on", "BOGUS", "admin.json");
        assertUsageError(r);
        assertThat(r.err()).contains("BOGUS", "CRITICAL", "HIGH", "MEDIUM", "LOW");
    }

    @Test
    void anUnknownFormatIsBadUsage() {
        Cli.Result r = Cli.run(dir, "check", "--format", "xml", "admin.json");
        assertUsageError(r);
        assertThat(r.err()).contains("xml", "sarif");
    }

    @Test
    void aMalformedAccountIdIsBadUsage() {
        Cli.Result r = Cli.run(dir, "check", "--account", "12345", "admin.json");
        assertUsageError(r);
        assertThat(r.err()).contains("12345", "12-digit");
    }

    @Test
    void noPathIsBadUsage() {
        assertUsageError(Cli.run(dir, "check"));
    }

    @Test
    void aConfigurationWithAnUnknownKeyIsBadUsageAndListsTheValidKeys() {
        Fixtures.copy(dir, "config/unknown-key.yaml", "guardrail.yaml");
        Cli.Result r = Cli.run(dir, "check", "--config", "guardrail.yaml", "admin.json");
        assertUsageError(r);
        assertThat(r.err()).contains("guardrail.yaml", "trustedAccounts", "valid keys",
                "accountId", "trustedAccountIds", "organizationId", "forbiddenActions", "rules", "exemptions");
    }

    @Test
    void aConfigurationWithAnUnknownRuleIdIsBadUsageAndListsTheRuleIds() {
        Fixtures.write(dir, "guardrail.yaml", "rules:\n  ADMIN_ACCES: { severity: HIGH }\n");
        Cli.Result r = Cli.run(dir, "check", "--config", "guardrail.yaml", "admin.json");
        assertUsageError(r);
        assertThat(r.err()).contains("ADMIN_ACCES", "ADMIN_ACCESS", "PRIVILEGE_ESCALATION");
    }

    @Test
    void aMissingConfigurationFileIsBadUsageThatSaysWhy() {
        Cli.Result r = Cli.run(dir, "check", "--config", "guardrail.yaml", "admin.json");
        assertUsageError(r);
        // Same wording as for a missing PATH, so the user knows the file is not there.
        assertThat(r.err()).as("%s", r).contains("guardrail.yaml", "no such file");
    }

    @Test
    void helpAndVersionExitZero() {
        Cli.Result help = Cli.run(dir, "check", "--help");
        assertThat(help.exit()).isEqualTo(0);
        assertThat(help.out()).contains("--fail-on", "--format", "--together", "--account", "Exit codes");
        Cli.Result version = Cli.run(dir, "--version");
        assertThat(version.exit()).isEqualTo(0);
        assertThat(version.out()).startsWith("iam-guardrail ");
    }

    @Test
    void helpListsEveryCommandAndAMistypedCommandIsBadUsage() {
        Cli.Result help = Cli.run(dir, "--help");
        assertThat(help.exit()).isEqualTo(0);
        assertThat(help.out()).as("%s", help).contains("check", "replay", "restore", "audit", "rules");
        Cli.Result typo = Cli.run(dir, "chek", "admin.json");
        assertUsageError(typo);
        assertThat(typo.err()).as("%s", typo).contains("chek");
        Cli.Result none = Cli.run(dir);
        assertUsageError(none);
        assertThat(none.err()).as("%s", none).contains("expected a command");
    }
}
