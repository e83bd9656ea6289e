package io.iamguardrail.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.remediation.DeleteInlinePolicy;
import io.iamguardrail.remediation.DetachPolicy;
import io.iamguardrail.remediation.Plan;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.remediation.Quarantine;
import io.iamguardrail.remediation.RemediationAction;
import io.iamguardrail.rules.Rules;
import io.iamguardrail.state.PrincipalRef;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.EventEvaluatorTest.ADMIN;
import static io.iamguardrail.pipeline.EventEvaluatorTest.LAMBDA_TRUST;
import static io.iamguardrail.pipeline.EventEvaluatorTest.PASS_ANY;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/** The remediation planner and its safety rails, on real event shapes, with an in-memory IAM. */
class RemediationPlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";

    private final FakeIamState iam = new FakeIamState().role("app", LAMBDA_TRUST, Map.of(), List.of())
            .policy(ADMIN_ARN, "v1", ADMIN, true);

    private static GuardrailConfig config(String yaml) throws Exception {
        return new ConfigLoader(Rules.configurableIds()).load(yaml, "test.yaml");
    }

    private Plan plan(GuardrailConfig config, String eventName, String request) {
        Decision d = new EventEvaluator(iam, config, Optional.empty()).evaluate(Events.event(eventName, request));
        return new Planner(config, Clock.systemUTC()).plan(d);
    }

    @Test
    void aCriticalAttachmentIsDetachedAndItsUndoReattaches() throws Exception {
        Plan p = plan(config("mode: REMEDIATE"), "AttachRolePolicy", "{\"roleName\":\"app\",\"policyArn\":\"" + ADMIN_ARN + "\"}");
        assertThat(p.actions()).containsExactly(new DetachPolicy(
                new PrincipalRef(PrincipalRef.Kind.ROLE, "app"), ADMIN_ARN));
        assertThat(p.ruleIds()).contains("ADMIN_ACCESS");
        assertThat(p.actions().get(0).undoCommands()).containsExactly(
                "aws iam attach-role-policy --role-name app --policy-arn " + ADMIN_ARN);
        assertThat(p.actions().get(0).requiredPermissions())
                .containsExactly("iam:DetachRolePolicy", "iam:GetRole", "iam:ListAttachedRolePolicies");
    }

    @Test
    void onlyCriticalFindingsRemediateByDefaultAndARuleCanOptIn() throws Exception {
        String put = "{\"roleName\":\"app\",\"policyName\":\"pass\",\"policyDocument\":" + quoted(PASS_ANY) + "}";
        Plan byDefault = plan(config("mode: REMEDIATE"), "PutRolePolicy", put);
        assertThat(byDefault.actions()).isEmpty();
        assertThat(byDefault.reason()).hasValueSatisfying(r -> assertThat(r).contains("only CRITICAL"));
        Plan optedIn = plan(config("mode: REMEDIATE\nrules:\n  PASSROLE_UNRESTRICTED: { remediate: true }"), "PutRolePolicy", put);
        assertThat(optedIn.actions()).containsExactly(new DeleteInlinePolicy(
                new PrincipalRef(PrincipalRef.Kind.ROLE, "app"), "pass"));
    }

    @Test
    void aRuleCanChooseQuarantineAndWithoutAQuarantinePolicyItIsSkippedWithTheReason() throws Exception {
        String attach = "{\"roleName\":\"app\",\"policyArn\":\"" + ADMIN_ARN + "\"}";
        Plan missing = plan(config("rules:\n  ADMIN_ACCESS: { action: QUARANTINE }"), "AttachRolePolicy", attach);
        assertThat(missing.skipped()).isTrue();
        assertThat(missing.reason().orElseThrow()).contains("no quarantine policy is configured");
        Plan q = plan(config("rules:\n  ADMIN_ACCESS: { action: QUARANTINE }\nremediation:\n"
                + "  quarantinePolicyArn: \"arn:aws:iam::123456789012:policy/iam-guardrail-quarantine\""), "AttachRolePolicy", attach);
        assertThat(q.actions()).containsExactly(new Quarantine(new PrincipalRef(PrincipalRef.Kind.ROLE, "app"),
                "arn:aws:iam::123456789012:policy/iam-guardrail-quarantine"));
    }

    @Test
    void railServiceLinkedRolesAreNeverTouched() throws Exception {
        iam.role("AWSServiceRoleForSupport", LAMBDA_TRUST, Map.of(), List.of());
        Plan p = plan(config("mode: REMEDIATE"), "AttachRolePolicy",
                "{\"roleName\":\"AWSServiceRoleForSupport\",\"policyArn\":\"" + ADMIN_ARN + "\"}");
        assertThat(p.actions()).isEmpty();
        assertThat(p.reason().orElseThrow()).startsWith("service-linked role:");
    }

    @Test
    void railTheGuardrailsOwnRoleIsNeverTouched() throws Exception {
        iam.role("iam-guardrail-evaluator", LAMBDA_TRUST, Map.of(), List.of());
        Plan p = plan(config("remediation:\n  guardrailRoleArns: [\"arn:aws:iam::123456789012:role/iam-guardrail-evaluator\"]"),
                "AttachRolePolicy", "{\"roleName\":\"iam-guardrail-evaluator\",\"policyArn\":\"" + ADMIN_ARN + "\"}");
        assertThat(p.actions()).isEmpty();
        assertThat(p.reason().orElseThrow()).startsWith("guardrail's own role:");
    }

    @Test
    void railBreakGlassPrincipalsAreNeverTouched() throws Exception {
        iam.role("break-glass-admin", LAMBDA_TRUST, Map.of(), List.of());
        Plan p = plan(config("remediation:\n  breakGlassPrincipals: [\"break-glass-*\"]"),
                "AttachRolePolicy", "{\"roleName\":\"break-glass-admin\",\"policyArn\":\"" + ADMIN_ARN + "\"}");
        assertThat(p.actions()).isEmpty();
        assertThat(p.reason().orElseThrow()).startsWith("break-glass principal:").contains("break-glass-*");
    }

    @Test
    void railExemptPrincipalsAreNeverTouched() throws Exception {
        // The exemption covers one rule that fires; another CRITICAL rule would still alert, but the principal is exempt
        // from a rule that asked for the action, so it is left alone.
        GuardrailConfig c = config("exemptions:\n  - principal: app\n    rules: [ADMIN_ACCESS]\n    reason: lab account role\n");
        Decision d = new EventEvaluator(iam, GuardrailConfig.defaults(), Optional.empty())
                .evaluate(Events.event("AttachRolePolicy", "{\"roleName\":\"app\",\"policyArn\":\"" + ADMIN_ARN + "\"}"));
        Plan p = new Planner(c, Clock.systemUTC()).plan(d);
        assertThat(p.actions()).isEmpty();
        assertThat(p.reason().orElseThrow()).startsWith("exempt principal:").contains("lab account role");
    }

    @Test
    void railAwsCompromisedKeyQuarantinePoliciesAreNeverRemoved() {
        RemediationAction detach = new DetachPolicy(new PrincipalRef(PrincipalRef.Kind.USER, "leaky"),
                "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2");
        RemediationAction delete = new DeleteInlinePolicy(new PrincipalRef(PrincipalRef.Kind.USER, "leaky"),
                "AWSCompromisedKeyQuarantineV3");
        var rails = new Planner(GuardrailConfig.defaults(), Clock.systemUTC()).rails();
        var facts = new io.iamguardrail.remediation.SafetyRails.Facts(Optional.empty(), Optional.empty(), List.of("ADMIN_ACCESS"),
                java.time.LocalDate.now());
        assertThat(rails.check(detach, facts)).hasValueSatisfying(r -> assertThat(r).startsWith("AWS compromised-key quarantine:"));
        assertThat(rails.check(delete, facts)).isPresent();
    }

    @Test
    void inAlertModeTheAlertSaysWhatWouldBeDoneAndHowToUndoIt() throws Exception {
        List<Alert> published = new ArrayList<>();
        GuardrailService service = new GuardrailService(new EventEvaluator(iam, GuardrailConfig.defaults(), Optional.empty()),
                a -> {
                    published.add(a);
                    return "m";
                }, EventLedger.NONE, DecisionLog.silent(), () -> 0);
        service.process(Events.json("PutRolePolicy", "{\"roleName\":\"app\",\"policyName\":\"all\",\"policyDocument\":"
                + quoted(ADMIN) + "}").getBytes(StandardCharsets.UTF_8), "test");
        JsonNode r = JSON.readTree(published.get(0).json()).get("remediation");
        assertThat(r.get("mode").asText()).isEqualTo("ALERT");
        assertThat(r.get("status").asText()).isEqualTo("PLANNED");
        assertThat(r.get("summary").asText()).isEqualTo("ALERT mode: REMEDIATE mode would delete the inline policy all of"
                + " role app (document backed up)");
        assertThat(r.get("actions").get(0).get("action").asText()).isEqualTo("DELETE_INLINE_POLICY");
        assertThat(r.get("actions").get(0).get("status").asText()).isEqualTo("PLANNED");
        assertThat(r.get("undo").get("aws").get(0).asText()).startsWith("aws iam put-role-policy --role-name app --policy-name all");
        // The e-mail says the mode once and offers no undo for an action not taken; the JSON keeps what an undo would be.
        assertThat(published.get(0).email()).contains("Remediation: PLANNED\n  ALERT mode: REMEDIATE mode would delete")
                .doesNotContain("Undo:");
    }

    @Test
    void aRemediationConfigWithAWrongValueFailsWithTheLocation() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config("remediation:\n  maxPerMinute: 0\n"))
                .hasMessage("test.yaml:2:17: expected `maxPerMinute` to be a whole number of at least 1 but found `0`");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config("remediation:\n  maxPerMinit: 3\n"))
                .hasMessageContaining("unknown key `maxPerMinit` in remediation (did you mean `maxPerMinute`?)");
    }
}
