package io.iamguardrail.notify;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.pipeline.Alert;
import io.iamguardrail.pipeline.AlertBuilder;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.state.OfflineState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The e-mail text, compared exactly with golden files under {@code src/test/resources/notify/email/}. After an
 * intended change of the text, regenerate them and review the diff:
 * {@code UPDATE_GOLDEN=1 mvn -B -q -f functions/pom.xml test -Dtest=EmailGoldenTest}.
 */
class EmailGoldenTest {

    static final Path GOLDEN = Path.of("src/test/resources/notify/email");

    static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name + ".txt");
        if (System.getenv("UPDATE_GOLDEN") != null) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file (regenerate with UPDATE_GOLDEN=1)").exists();
        assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"update-assume-role-policy-any-principal", "attach-role-policy-admin",
            "attach-role-policy-admin-remediated", "create-role-github-oidc-no-sub",
            "create-role-github-oidc-no-sub-remediation-failed", "create-policy-version-privesc", "hostile-put-role-policy"})
    void emailTextMatchesTheGoldenFile(String alert) throws IOException {
        assertGolden(alert, EmailRenderer.render(Alerts.view(alert)));
    }

    @Test
    void thePublishedAlertCarriesTheSameEmailAsTheGoldenFile() throws IOException {
        byte[] event = Files.readAllBytes(Path.of("src/test/resources/notify/events/hostile-put-role-policy.json"));
        EventEvaluator evaluator = new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()),
                GuardrailConfig.defaults(), Optional.empty());
        Decision d = evaluator.evaluate(EventDecoder.decode(event).event().orElseThrow());
        Alert alert = AlertBuilder.build(d, new io.iamguardrail.remediation.PlanOnly(new io.iamguardrail.remediation.Planner(
                io.iamguardrail.config.GuardrailConfig.defaults(), java.time.Clock.systemUTC())).remediate(d));
        assertGolden("hostile-put-role-policy-published", alert.email());
        // In ALERT mode the alert says what REMEDIATE mode would do; for these HIGH findings, nothing by default.
        assertThat(alert.email().lines()).filteredOn(l -> l.startsWith("Remediation:"))
                .containsExactly("Remediation: NONE (ALERT mode)");
    }
}
