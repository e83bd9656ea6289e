package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.iamguardrail.deploy.StackPolicies.Request;
import io.iamguardrail.remediation.Remediations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.iamguardrail.deploy.StackPolicies.ACCOUNT;
import static io.iamguardrail.deploy.StackPolicies.BUCKET_ARN;
import static io.iamguardrail.deploy.StackPolicies.EVALUATOR_FUNCTION_ARN;
import static io.iamguardrail.deploy.StackPolicies.applies;
import static io.iamguardrail.deploy.StackPolicies.resolve;
import static io.iamguardrail.deploy.StackPolicies.roleArn;
import static io.iamguardrail.deploy.StackPolicies.statements;
import static io.iamguardrail.deploy.StackPolicies.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guardrail's powers in template.yaml, tried the way someone inside the account would try to borrow them: a
 * function of their own running as the evaluator role, a role named like the stack's, a backup rewritten or deleted,
 * a MAC made by someone else.
 */
class GuardrailPowersTest {

    static JsonNode template;
    static JsonNode resources;
    static String evaluatorRole;
    static String auditRole;
    static String notifierRole;
    /** A role of the attacker's, named so that a name prefix of the stack would cover it. */
    static final String LOOKALIKE_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/" + StackPolicies.STACK + "-evaluator-x";
    static final String ADMIN_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/Admin";
    static final String ROGUE_FUNCTION = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:borrowed-role";

    @BeforeAll
    static void read() throws Exception {
        template = DeployTemplate.template();
        resources = template.path("Resources");
        evaluatorRole = roleArn(resources, "EvaluatorRole");
        auditRole = roleArn(resources, "AuditRole");
        notifierRole = roleArn(resources, "NotifierRole");
    }

    @Test
    void theEvaluatorHasAFixedNameAndItsRoleTheSameNameInEveryCondition() {
        String name = resolve(resources.path("EvaluatorFunction").path("Properties").path("FunctionName").asText());
        assertThat(EVALUATOR_FUNCTION_ARN).isEqualTo("arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + name);
        assertThat(evaluatorRole).isEqualTo("arn:aws:iam::" + ACCOUNT + ":role/" + StackPolicies.STACK + "-evaluator");
    }

    @Test
    void everyRemediationPowerHoldsOnlyInTheEvaluatorsOwnCode() {
        List<JsonNode> remediation = statements(resources, "RemediationPolicy", "PolicyDocument");
        assertThat(remediation).filteredOn(st -> st.path("Effect").asText().equals("Allow")).isNotEmpty()
                .allSatisfy(st -> assertThat(values(st.path("Condition").path("ArnEquals").path("lambda:SourceFunctionArn")))
                        .as(st.path("Sid").asText()).containsExactly(EVALUATOR_FUNCTION_ARN));
        // Denials hold whoever calls: none is conditioned.
        assertThat(remediation).filteredOn(st -> st.path("Effect").asText().equals("Deny")).isNotEmpty()
                .allSatisfy(st -> assertThat(st.has("Condition")).as(st.path("Sid").asText()).isFalse());

        Request detach = new Request(evaluatorRole, "iam:DetachRolePolicy", "arn:aws:iam::" + ACCOUNT + ":role/app",
                EVALUATOR_FUNCTION_ARN);
        assertThat(applies(remediation, "Allow", detach)).isTrue();
        for (String fn : List.of(ROGUE_FUNCTION, EVALUATOR_FUNCTION_ARN + ":live", "")) {
            Request borrowed = new Request(evaluatorRole, "iam:UpdateAssumeRolePolicy",
                    "arn:aws:iam::" + ACCOUNT + ":role/app", fn);
            assertThat(applies(remediation, "Allow", borrowed)).as("from `%s`", fn).isFalse();
        }
    }

    @Test
    void everyWriteOfTheEvaluatorPolicyHoldsOnlyInTheEvaluatorsOwnCode() {
        // The documented exceptions: calls Lambda's queue poller and SNS make for the function, outside its code,
        // without the key.
        Set<String> madeForTheFunction = Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                "kms:GenerateDataKey", "kms:Decrypt");
        for (JsonNode st : statements(resources, "EvaluatorPolicy", "PolicyDocument")) {
            List<String> actions = values(st.path("Action"));
            boolean writes = actions.stream().anyMatch(a -> !isRead(a) && !madeForTheFunction.contains(a));
            List<String> condition = values(st.path("Condition").path("ArnEquals").path("lambda:SourceFunctionArn"));
            if (writes) {
                assertThat(condition).as(st.path("Sid").asText() + " " + actions).containsExactly(EVALUATOR_FUNCTION_ARN);
            }
        }
        List<JsonNode> evaluator = statements(resources, "EvaluatorPolicy", "PolicyDocument");
        String logStream = "arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:/aws/lambda/" + StackPolicies.STACK
                + "-evaluator:log-stream:2026/12/07/[live]abc";
        Map<String, String> writes = Map.of("sns:Publish", "AlertTopic", "dynamodb:PutItem", "StateTable.Arn",
                "dynamodb:UpdateItem", "StateTable.Arn", "dynamodb:DeleteItem", "StateTable.Arn", "logs:PutLogEvents", logStream);
        writes.forEach((write, on) -> {
            assertThat(applies(evaluator, "Allow", new Request(evaluatorRole, write, on, ROGUE_FUNCTION)))
                    .as(write + " from another function with the evaluator role").isFalse();
            assertThat(applies(evaluator, "Allow", new Request(evaluatorRole, write, on, EVALUATOR_FUNCTION_ARN)))
                    .as(write + " from the evaluator").isTrue();
        });
        // Reads stay open to the priming and the rehearsal, which run before any event.
        assertThat(applies(evaluator, "Allow", new Request(evaluatorRole, "dynamodb:GetItem", "StateTable.Arn"))).isTrue();
        assertThat(applies(evaluator, "Allow", new Request(evaluatorRole, "sns:GetTopicAttributes", "AlertTopic"))).isTrue();
    }

    @Test
    void aHubAssumesOnlyTheMemberRoleOnlyInsideItsOrganizationAndOnlyFromTheEvaluatorsCode() {
        List<JsonNode> hub = statements(resources, "EvaluatorPolicy", "PolicyDocument");
        String memberRole = "arn:aws:iam::111122223333:role/" + StackPolicies.MEMBER_ROLE;
        Request assume = new Request(evaluatorRole, "sts:AssumeRole", memberRole, EVALUATOR_FUNCTION_ARN)
                .with("aws:ResourceOrgID", StackPolicies.ORGANIZATION);

        assertThat(applies(hub, "Allow", assume)).isTrue();
        assertThat(applies(hub, "Allow", new Request(evaluatorRole, "sts:AssumeRole", memberRole, EVALUATOR_FUNCTION_ARN)
                .with("aws:ResourceOrgID", "o-zz99yy88xx"))).as("the same role name in another organization").isFalse();
        assertThat(applies(hub, "Allow", new Request(evaluatorRole, "sts:AssumeRole",
                "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole", EVALUATOR_FUNCTION_ARN)
                .with("aws:ResourceOrgID", StackPolicies.ORGANIZATION))).as("another role of a member").isFalse();
        assertThat(applies(hub, "Allow", new Request(evaluatorRole, "sts:AssumeRole", memberRole, ROGUE_FUNCTION)
                .with("aws:ResourceOrgID", StackPolicies.ORGANIZATION))).as("from a function borrowing the role").isFalse();
        assertThat(applies(hub, "Allow", new Request(evaluatorRole, "organizations:ListAccounts", "*"))).isTrue();

        List<JsonNode> single = statements(resources, "EvaluatorPolicy", "PolicyDocument", Set.of("IsHub"));
        assertThat(single).as("DeploymentMode=account").noneMatch(st -> values(st.path("Action")).stream()
                .anyMatch(a -> a.startsWith("sts:") || a.startsWith("organizations:")));
    }

    private static boolean isRead(String action) {
        String name = action.substring(action.indexOf(':') + 1);
        return name.startsWith("Get") || name.startsWith("List") || name.startsWith("Describe");
    }

    @Test
    void theRemediationPolicyGrantsExactlyWhatTheRemediationsDeclare() {
        Set<String> remediation = allowed("RemediationPolicy");
        Set<String> both = new TreeSet<>(remediation);
        both.addAll(allowed("EvaluatorPolicy"));

        assertThat(Remediations.requiredIamActions()).containsAll(remediation);
        assertThat(both).containsAll(Remediations.requiredIamActions());
        assertThat(remediation).containsAll(Remediations.MAC_ACTIONS).containsAll(Remediations.CONFIRM_ACTIONS);
    }

    private static Set<String> allowed(String policy) {
        Set<String> out = new TreeSet<>();
        statements(resources, policy, "PolicyDocument").stream().filter(st -> st.path("Effect").asText().equals("Allow"))
                .forEach(st -> out.addAll(values(st.path("Action"))));
        return out;
    }

    @Test
    void theGuardrailsOwnRolesAreProtectedByExactArnAndALookalikeIsNot() {
        List<JsonNode> remediation = statements(resources, "RemediationPolicy", "PolicyDocument");
        JsonNode own = remediation.stream().filter(st -> st.path("Sid").asText().equals("NeverChangeTheGuardrailsOwnRoles"))
                .findFirst().orElseThrow();
        assertThat(values(own.path("Resource"))).containsExactlyInAnyOrder(evaluatorRole, auditRole, notifierRole,
                        roleArn(resources, "CanaryRole"), roleArn(resources, "HeartbeatRole"))
                .allSatisfy(arn -> assertThat(arn).doesNotContain("*", "?"));

        for (String role : List.of(evaluatorRole, auditRole, notifierRole)) {
            assertThat(applies(remediation, "Deny", new Request(evaluatorRole, "iam:UpdateAssumeRolePolicy", role,
                    EVALUATOR_FUNCTION_ARN))).as(role).isTrue();
        }
        // A role named like the stack's is remediated like any other: its name does not make it immune.
        assertThat(applies(remediation, "Deny", new Request(evaluatorRole, "iam:AttachRolePolicy", LOOKALIKE_ROLE,
                EVALUATOR_FUNCTION_ARN))).isFalse();

        JsonNode versions = remediation.stream().filter(st -> values(st.path("Action")).contains("iam:SetDefaultPolicyVersion")
                && st.path("Effect").asText().equals("Deny")).findFirst().orElseThrow();
        assertThat(values(versions.path("Action"))).contains("iam:CreatePolicyVersion", "iam:DeletePolicyVersion");
        assertThat(values(versions.path("Resource"))).contains("QuarantinePolicy");
    }

    @Test
    void onlyTheEvaluatorRoleWritesBackupsNobodyDeletesThemAndOnlyTheSweepWritesReports() {
        List<JsonNode> bucket = statements(resources, "BackupBucketPolicy", "PolicyDocument");
        String backup = BUCKET_ARN + "/backups/evt-1/1.json";
        String report = BUCKET_ARN + "/audit/2026-12-07/report.json";

        assertThat(applies(bucket, "Deny", new Request(evaluatorRole, "s3:PutObject", backup))).isFalse();
        for (String other : List.of(ADMIN_ROLE, auditRole, LOOKALIKE_ROLE, "arn:aws:iam::" + ACCOUNT + ":root")) {
            assertThat(applies(bucket, "Deny", new Request(other, "s3:PutObject", backup))).as(other).isTrue();
        }
        for (String anyone : List.of(evaluatorRole, ADMIN_ROLE, "arn:aws:iam::" + ACCOUNT + ":root")) {
            assertThat(applies(bucket, "Deny", new Request(anyone, "s3:DeleteObject", backup))).as(anyone).isTrue();
            assertThat(applies(bucket, "Deny", new Request(anyone, "s3:DeleteObjectVersion", backup))).as(anyone).isTrue();
        }
        assertThat(applies(bucket, "Deny", new Request(auditRole, "s3:PutObject", report))).isFalse();
        assertThat(applies(bucket, "Deny", new Request(evaluatorRole, "s3:PutObject", report))).isTrue();
        assertThat(applies(bucket, "Deny", new Request(ADMIN_ROLE, "s3:PutObject", report))).isTrue();
        // Backups still expire: the lifecycle rule is S3's own action, not a principal's call the policy could deny.
        assertThat(resources.path("BackupBucket").path("Properties").path("LifecycleConfiguration").path("Rules").get(0)
                .path("ExpirationInDays").asInt()).isPositive();
    }

    @Test
    void onlyTheEvaluatorRoleCanSignWithTheMacKeyAndAdministratorsStillManageIt() {
        JsonNode key = resources.path("BackupMacKey");
        assertThat(key.path("Type").asText()).isEqualTo("AWS::KMS::Key");
        assertThat(key.path("Properties").path("KeySpec").asText()).isEqualTo("HMAC_256");
        assertThat(key.path("Properties").path("KeyUsage").asText()).isEqualTo("GENERATE_VERIFY_MAC");
        List<JsonNode> policy = statements(resources, "BackupMacKey", "KeyPolicy");
        String anyKey = "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";

        assertThat(applies(policy, "Deny", new Request(evaluatorRole, "kms:GenerateMac", anyKey))).isFalse();
        for (String other : List.of(ADMIN_ROLE, auditRole, LOOKALIKE_ROLE, "arn:aws:iam::" + ACCOUNT + ":root")) {
            assertThat(applies(policy, "Deny", new Request(other, "kms:GenerateMac", anyKey))).as(other).isTrue();
        }
        for (String manage : List.of("kms:PutKeyPolicy", "kms:DescribeKey", "kms:ScheduleKeyDeletion", "kms:VerifyMac")) {
            assertThat(applies(policy, "Deny", new Request(ADMIN_ROLE, manage, anyKey))).as(manage).isFalse();
            assertThat(applies(policy, "Allow", new Request("arn:aws:iam::" + ACCOUNT + ":root", manage, anyKey)))
                    .as(manage).isTrue();
        }
        List<JsonNode> remediation = statements(resources, "RemediationPolicy", "PolicyDocument");
        for (String mac : Remediations.MAC_ACTIONS) {
            assertThat(applies(remediation, "Allow", new Request(evaluatorRole, mac, "BackupMacKey.Arn",
                    EVALUATOR_FUNCTION_ARN))).as(mac).isTrue();
        }
    }

    @Test
    void theEvaluatorIsToldItsRolesItsKeyItsAgeBoundAndWhetherToConfirm() {
        JsonNode env = resources.path("EvaluatorFunction").path("Properties").path("Environment").path("Variables");
        JsonNode joined = env.path("GUARDRAIL_ROLE_ARNS");
        assertThat(joined.get(0).asText()).isEqualTo(",");
        assertThat(values(joined.get(1))).containsExactly(evaluatorRole, auditRole, notifierRole);
        assertThat(env.path("MAC_KEY_ID").asText()).isEqualTo("BackupMacKey.Arn");
        assertThat(env.path("MAX_EVENT_AGE_HOURS").asText()).isEqualTo("MaxEventAgeHours");
        assertThat(env.path("CONFIRM_EVENTS").asText()).isEqualTo("ConfirmEventsWithCloudTrail");
        JsonNode parameters = template.path("Parameters");
        assertThat(parameters.path("MaxEventAgeHours").path("Default").asInt()).isEqualTo(24);
        assertThat(parameters.path("ConfirmEventsWithCloudTrail").path("Default").asText()).isEqualTo("true");
    }

    @Test
    void bothRulesDeliverOnlyThisAccountsEvents() throws Exception {
        DeployTemplate.evaluatorRules().values().forEach(rule ->
                assertThat(values(rule.path("EventPattern").path("account"))).containsExactly(ACCOUNT));
    }
}
