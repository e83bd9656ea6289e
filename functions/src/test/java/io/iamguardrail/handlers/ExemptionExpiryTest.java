package io.iamguardrail.handlers;

import io.iamguardrail.cli.Main;
import io.iamguardrail.config.ConfigException;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.ExemptionExpiry;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.rules.Rules;
import io.iamguardrail.wiring.FunctionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An exemption that never ends is a permanent hole nobody reviews: a warning in ALERT mode and in {@code check},
 * refused when the guardrail remediates, however REMEDIATE is switched on (the file or the function's MODE).
 */
class ExemptionExpiryTest {

    static final String FOREVER = """
            exemptions:
              - principal: arn:aws:iam::123456789012:role/legacy-deployer
                rules: [ADMIN_ACCESS]
                reason: migration to the new pipeline
            """;
    private final ConfigLoader loader = new ConfigLoader(Rules.configurableIds());

    @Test
    void inRemediateModeAnExemptionWithoutExpiryIsRefusedSayingWhereAndWhat() {
        assertThatThrownBy(() -> loader.load("mode: REMEDIATE\n" + FOREVER, "guardrail.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("guardrail.yaml:3:5: expected `expires` (a date YYYY-MM-DD) on every exemption in REMEDIATE"
                        + " mode but found none on the exemption of `arn:aws:iam::123456789012:role/legacy-deployer`");
    }

    @Test
    void inAlertModeItLoadsWithAWarningThatSaysWhere() throws Exception {
        GuardrailConfig config = loader.load(FOREVER, "guardrail.yaml");

        assertThat(ExemptionExpiry.warnings(config)).containsExactly("guardrail.yaml:2:5: warning: the exemption of"
                + " `arn:aws:iam::123456789012:role/legacy-deployer` has no `expires`: it never ends; add a date"
                + " (YYYY-MM-DD). In REMEDIATE mode it is refused");
        assertThat(ExemptionExpiry.warnings(loader.load(FOREVER.replace("reason:", "expires: 2027-03-31\n    reason:"),
                "guardrail.yaml"))).isEmpty();
    }

    @Test
    void switchingTheFunctionToRemediateThroughItsEnvironmentIsRefusedToo() {
        assertThatThrownBy(() -> FunctionConfig.fromEnvironment(Map.of("GUARDRAIL_CONFIG", FOREVER, "MODE", "REMEDIATE")))
                .hasMessageContaining("expected `expires` (a date YYYY-MM-DD) on every exemption in REMEDIATE mode");
        assertThat(FunctionConfig.fromEnvironment(Map.of("GUARDRAIL_CONFIG", FOREVER, "MODE", "ALERT")).exemptions())
                .hasSize(1);
    }

    @Test
    void theTemplatesBreakGlassPrincipalsNeedNoExpiryButAReasonCopiedFromThemDoesNotExcuseAnExemption() {
        GuardrailConfig config = FunctionConfig.fromEnvironment(Map.of("MODE", "REMEDIATE",
                "EXEMPT_PRINCIPAL_ARNS", "arn:aws:iam::123456789012:role/break-glass"));
        assertThat(config.exemptions()).hasSize(1);

        String copied = FOREVER.replace("migration to the new pipeline",
                "\"break-glass principal (template parameter ExemptPrincipalArns)\"");
        assertThatThrownBy(() -> loader.load("mode: REMEDIATE\n" + copied, "guardrail.yaml"))
                .hasMessageContaining("expected `expires`");
    }

    @Test
    void checkPrintsTheWarningAndStillChecks(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("guardrail.yaml"), FOREVER);
        Path policy = Files.writeString(dir.resolve("policy.json"),
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::reports/*\"}]}");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Main.run(new String[] {"check", "--config", config.toString(), policy.toString()},
                new PrintWriter(out), new PrintWriter(err));

        assertThat(exit).isZero();
        assertThat(err.toString()).contains(config + ":2:5: warning: the exemption of"
                + " `arn:aws:iam::123456789012:role/legacy-deployer` has no `expires`");
    }
}
