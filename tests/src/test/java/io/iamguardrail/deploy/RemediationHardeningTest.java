package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.iamguardrail.deploy.StackPolicies.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.iamguardrail.deploy.StackPolicies.ACCOUNT;
import static io.iamguardrail.deploy.StackPolicies.APPROVED_BOUNDARY;
import static io.iamguardrail.deploy.StackPolicies.BREAK_GLASS_ROLE;
import static io.iamguardrail.deploy.StackPolicies.EVALUATOR_FUNCTION_ARN;
import static io.iamguardrail.deploy.StackPolicies.STACK;
import static io.iamguardrail.deploy.StackPolicies.applies;
import static io.iamguardrail.deploy.StackPolicies.roleArn;
import static io.iamguardrail.deploy.StackPolicies.statements;
import static io.iamguardrail.deploy.StackPolicies.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the remediation policy still lets the evaluator's own code do, tried with the requests a forged event or a bug
 * would make it send: change a break-glass principal, put an attacker's policy on someone as a "boundary", rewrite
 * one of the guardrail's own policies.
 */
class RemediationHardeningTest {

    static JsonNode resources;
    static String evaluatorRole;
    static final String APP_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/app";
    static final String ALLOW_ALL_BOUNDARY = "arn:aws:iam::" + ACCOUNT + ":policy/attacker-allow-all";

    @BeforeAll
    static void read() throws Exception {
        resources = DeployTemplate.template().path("Resources");
        evaluatorRole = roleArn(resources, "EvaluatorRole");
    }

    private static Request fromTheEvaluator(String action, String resource) {
        return new Request(evaluatorRole, action, resource, EVALUATOR_FUNCTION_ARN);
    }

    private static boolean allowed(List<JsonNode> policy, Request r) {
        return applies(policy, "Allow", r) && !applies(policy, "Deny", r);
    }

    @Test
    void nothingTheEvaluatorIsAskedToDoChangesABreakGlassPrincipal() {
        List<JsonNode> remediation = statements(resources, "RemediationPolicy", "PolicyDocument");
        for (String action : List.of("iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRolePolicy",
                "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:PutRolePermissionsBoundary")) {
            Request onBreakGlass = fromTheEvaluator(action, BREAK_GLASS_ROLE)
                    // `!Ref QuarantinePolicy` as the test reads the template: the logical id.
                    .with("iam:PolicyARN", "QuarantinePolicy")
                    .with("iam:PermissionsBoundary", APPROVED_BOUNDARY).with("aws:TagKeys", "iam-guardrail:quarantined");
            assertThat(applies(remediation, "Deny", onBreakGlass)).as(action).isTrue();
            assertThat(allowed(remediation, new Request(evaluatorRole, action, APP_ROLE, EVALUATOR_FUNCTION_ARN,
                    onBreakGlass.context()))).as(action + " on an ordinary role").isTrue();
        }
    }

    @Test
    void withoutBreakGlassPrincipalsTheDenyIsLeftOutRatherThanNamingAnEmptyArn() {
        List<JsonNode> none = statements(resources, "RemediationPolicy", "PolicyDocument", Set.of("HasExemptPrincipals"));

        assertThat(none).noneMatch(st -> st.path("Sid").asText().equals("NeverChangeTheBreakGlassPrincipals"));
        assertThat(none).allSatisfy(st -> assertThat(values(st.path("Resource"))).doesNotContain(BREAK_GLASS_ROLE));
    }

    @Test
    void onlyAnApprovedBoundaryIsEverPutAndNoneWhenNoneIsApproved() {
        List<JsonNode> approved = statements(resources, "RemediationPolicy", "PolicyDocument");
        List<JsonNode> noneApproved = statements(resources, "RemediationPolicy", "PolicyDocument",
                Set.of("HasApprovedBoundaries"));
        for (String action : List.of("iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary")) {
            String target = action.contains("Role") ? APP_ROLE : "arn:aws:iam::" + ACCOUNT + ":user/bob";
            Request attackers = fromTheEvaluator(action, target).with("iam:PermissionsBoundary", ALLOW_ALL_BOUNDARY);
            Request listed = fromTheEvaluator(action, target).with("iam:PermissionsBoundary", APPROVED_BOUNDARY);

            assertThat(allowed(approved, attackers)).as(action + " with an unlisted boundary").isFalse();
            assertThat(allowed(approved, listed)).as(action + " with the approved boundary").isTrue();
            assertThat(allowed(noneApproved, listed)).as(action + " with no approved boundary").isFalse();
        }
    }

    @Test
    void theGuardrailNeverWritesAVersionOfItsOwnPoliciesTheRemediationPolicyIncluded() {
        List<JsonNode> remediation = statements(resources, "RemediationPolicy", "PolicyDocument");
        JsonNode own = remediation.stream().filter(st -> st.path("Sid").asText().equals("NeverChangeTheGuardrailsOwnPolicies"))
                .findFirst().orElseThrow();
        String remediationPolicy = "arn:aws:iam::" + ACCOUNT + ":policy/" + STACK + "-remediation";

        assertThat(values(own.path("Resource"))).contains("QuarantinePolicy", "EvaluatorPolicy", "AuditPolicy",
                "HeartbeatPolicy", remediationPolicy);
        assertThat(resources.path("RemediationPolicy").path("Properties").path("ManagedPolicyName").asText())
                .isEqualTo("${AWS::StackName}-remediation");
        for (String action : List.of("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion")) {
            assertThat(applies(remediation, "Deny", fromTheEvaluator(action, remediationPolicy))).as(action).isTrue();
        }
        assertThat(allowed(remediation, fromTheEvaluator("iam:SetDefaultPolicyVersion",
                "arn:aws:iam::" + ACCOUNT + ":policy/app"))).isTrue();
    }

    @Test
    void accessKeysMayBeUpdatedButIamHasNoKeyForTheStatusSoTheCodeOnlyDeactivates() {
        // UpdateAccessKey carries no condition key for the new status: the policy cannot say "Inactive only".
        // QuarantineIntegrityTest.everyRemediationWritesOnlyInactiveAsAnAccessKeyStatus holds the code to it.
        JsonNode keys = statements(resources, "RemediationPolicy", "PolicyDocument").stream()
                .filter(st -> values(st.path("Action")).contains("iam:UpdateAccessKey")).findFirst().orElseThrow();

        assertThat(keys.path("Sid").asText()).isEqualTo("DeactivateKeys");
        assertThat(values(keys.path("Action"))).containsExactly("iam:UpdateAccessKey");
        assertThat(values(keys.path("Resource"))).containsExactly("arn:aws:iam::" + ACCOUNT + ":user/*");
    }

    @Test
    void theEvaluatorTellsTheOperationsTopicOnlyFromItsOwnCode() {
        List<JsonNode> evaluator = statements(resources, "EvaluatorPolicy", "PolicyDocument");

        assertThat(applies(evaluator, "Allow", fromTheEvaluator("sns:Publish", "OperationsTopic"))).isTrue();
        assertThat(applies(evaluator, "Allow", new Request(evaluatorRole, "sns:Publish", "OperationsTopic",
                "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:borrowed-role"))).isFalse();
        assertThat(applies(evaluator, "Allow", new Request(evaluatorRole, "kms:GenerateDataKey", "OperationsKey.Arn")))
                .isTrue();
    }
}
