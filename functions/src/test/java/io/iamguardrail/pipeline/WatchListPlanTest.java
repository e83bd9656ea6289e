package io.iamguardrail.pipeline;

import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.remediation.DeactivateAccessKey;
import io.iamguardrail.remediation.Plan;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.EventEvaluatorTest.LAMBDA_TRUST;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the guardrail does about reversals and takeover changes in REMEDIATE mode: the exact reversal where one
 * exists (a re-activated key is deactivated again), otherwise an alert only, never a guess.
 */
class WatchListPlanTest {

    private static final String QUARANTINE = "arn:aws:iam::123456789012:policy/iam-guardrail-quarantine";
    private static final String REACTIVATE = "{\"userName\":\"build-bot\",\"accessKeyId\":\"AKIA4EXAMPLEKEY00042\","
            + "\"status\":\"Active\"}";

    private final FakeIamState iam = new FakeIamState()
            .role("orders-api-deploy", LAMBDA_TRUST, Map.of(), List.of(QUARANTINE))
            .policy(QUARANTINE, "v1", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\","
                    + "\"Resource\":\"*\"}]}", true);

    private static GuardrailConfig config(String yaml) throws Exception {
        return new ConfigLoader(Rules.configurableIds()).load(yaml, "guardrail.yaml");
    }

    private Plan plan(GuardrailConfig config, String eventName, String request) {
        Decision d = new EventEvaluator(iam, config, Optional.empty()).evaluate(Events.event(eventName, request));
        return new Planner(config, Clock.systemUTC()).plan(d);
    }

    @Test
    void aReactivatedKeyIsDeactivatedAgainWhenTheRuleRemediatesAndItsUndoReactivatesIt() throws Exception {
        Plan p = plan(config("mode: REMEDIATE\nrules:\n  ACCESS_KEY_REACTIVATED: { remediate: true }"), "UpdateAccessKey", REACTIVATE);

        assertThat(p.actions()).containsExactly(new DeactivateAccessKey("build-bot", "AKIA4EXAMPLEKEY00042"));
        assertThat(p.actions().get(0).undoCommands()).containsExactly("aws iam update-access-key --user-name build-bot"
                + " --access-key-id AKIA4EXAMPLEKEY00042 --status Active");
        assertThat(p.actions().get(0).requiredPermissions())
                .containsExactly("iam:GetUser", "iam:ListAccessKeys", "iam:UpdateAccessKey");
    }

    @Test
    void aReactivatedKeyIsOnlyAlertedByDefaultBecauseTheRuleIsHigh() throws Exception {
        Plan p = plan(config("mode: REMEDIATE"), "UpdateAccessKey", REACTIVATE);

        assertThat(p.actions()).isEmpty();
        assertThat(p.reason()).hasValueSatisfying(r -> assertThat(r).contains("only CRITICAL"));
    }

    @Test
    void aLiftedQuarantineIsCriticalButAlertOnlySoAReviewedRestoreIsNotFoughtBack() throws Exception {
        Plan p = plan(config("mode: REMEDIATE\nremediation:\n  quarantinePolicyArn: " + QUARANTINE),
                "DetachRolePolicy", "{\"roleName\":\"orders-api-deploy\",\"policyArn\":\"" + QUARANTINE + "\"}");

        assertThat(p.ruleIds()).containsExactly("QUARANTINE_REMOVED");
        assertThat(p.actions()).isEmpty();
        assertThat(p.reason()).hasValue("alert only: the guardrail has no exact reversal of `DetachRolePolicy`"
                + " (lifting a quarantine is also how a reviewed restore ends one: a person decides)");
    }

    @Test
    void aRuleOptedIntoRemediationWithoutAnExactReversalStaysAnAlert() throws Exception {
        Plan p = plan(config("mode: REMEDIATE\nrules:\n  IDENTITY_PROVIDER_CHANGED: { remediate: true }"),
                "UpdateSAMLProvider", "{\"sAMLMetadataDocument\":\"<md:EntityDescriptor/>\","
                        + "\"sAMLProviderArn\":\"arn:aws:iam::123456789012:saml-provider/okta\"}");

        assertThat(p.actions()).isEmpty();
        assertThat(p.reason()).hasValue("alert only: the guardrail has no exact reversal of `UpdateSAMLProvider`");
    }
}
