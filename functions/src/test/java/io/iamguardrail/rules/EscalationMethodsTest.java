package io.iamguardrail.rules;

import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.iamguardrail.Policies.check;
import static io.iamguardrail.Policies.findings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every method of the escalation table is named, and named first, when a policy grants exactly its actions: a
 * method added to the data without a way to be reported (or hidden behind a less specific one) fails here.
 */
class EscalationMethodsTest {

    private static final Pattern FIRST_METHOD = Pattern.compile("\\(([a-z0-9-]+): `");

    static List<Knowledge.EscalationMethod> methods() {
        return Knowledge.bundled().escalationMethods();
    }

    private static String policyGranting(List<String> actions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
                + actions.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(","))
                + "],\"Resource\":\"*\"}]}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void eachMethodIsNamedFirstWhenExactlyItsActionsAreAllowed(Knowledge.EscalationMethod m) {
        Report r = check(policyGranting(m.actionNames()));
        List<Finding> found = findings(r, "PRIVILEGE_ESCALATION");
        assertThat(found).as("%s: %s", m.id(), r.findings()).isNotEmpty();
        String message = found.get(0).message();
        Matcher first = FIRST_METHOD.matcher(message);
        assertThat(first.find()).as(message).isTrue();
        Knowledge.EscalationMethod named = methods().stream().filter(x -> x.id().equals(first.group(1))).findFirst().orElseThrow();
        // Named first: this method, or one with exactly the same actions (two sources describing one attack).
        assertThat(named.actions()).as("%s is named first in: %s", m.id(), message).isEqualTo(m.actions());
        assertThat(message).contains("`" + m.actionNames().get(0) + "`");
    }

    @Test
    void theMethodsTheIssueFoundMissingAreInTheTableWithTheirSource() {
        for (String id : List.of("iam-update-assume-role-policy-outside", "ecs-passrole-register-task-definition-update-service",
                "emr-passrole-run-job-flow", "emr-serverless-passrole-create-application-start-job-run",
                "glue-passrole-create-session-run-statement", "braket-passrole-create-job",
                "gamelift-passrole-create-build-create-fleet", "imagebuilder-passrole-create-image",
                "kinesisanalytics-passrole-create-application-start-application", "omics-passrole-create-workflow-start-run",
                "amplify-passrole-create-app-start-job", "amplify-passrole-update-app-start-job",
                "cognito-identity-passrole-set-identity-pool-roles", "bedrock-agentcore-passrole-create-browser",
                "bedrock-agentcore-browser-session", "bedrock-agentcore-passrole-create-code-interpreter",
                "bedrock-agentcore-code-interpreter-session")) {
            Knowledge.EscalationMethod m = methods().stream().filter(x -> x.id().equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("missing method " + id));
            assertThat(m.reference()).as(id).startsWith("https://");
            assertThat(m.source()).as(id).isNotBlank();
        }
    }

    @Test
    void aTrustRewriteIsNamedBeforeAssumingAMorePrivilegedRole() {
        Report r = check(policyGranting(List.of("iam:UpdateAssumeRolePolicy", "sts:AssumeRole", "iam:GetRole")));
        String message = findings(r, "PRIVILEGE_ESCALATION").get(0).message();
        assertThat(message.indexOf("(iam-update-assume-role-policy:")).as(message).isNotNegative()
                .isLessThan(message.indexOf("(sts-assume-role:"));
    }

    @Test
    void createProjectWithPassRoleIsNamedBeforeStartingABuild() {
        Report r = check("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":[\"codebuild:CreateProject\",\"codebuild:StartBuild\"],\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}");
        List<String> messages = findings(r, "PRIVILEGE_ESCALATION").stream().map(Finding::message).toList();
        String atBuild = messages.stream().filter(s -> s.contains("(codebuild-start-build:")).findFirst().orElseThrow(
                () -> new AssertionError(messages.toString()));
        assertThat(atBuild.indexOf("(codebuild-passrole-create-project-start-build:")).as(atBuild).isNotNegative()
                .isLessThan(atBuild.indexOf("(codebuild-start-build:"));
    }

    @Test
    void updateAssumeRolePolicyAloneIsAnEscalationNow() {
        Report r = check(policyGranting(List.of("iam:UpdateAssumeRolePolicy", "iam:GetRole", "iam:ListRoles")));
        assertThat(findings(r, "PRIVILEGE_ESCALATION")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("iam-update-assume-role-policy-outside"));
    }
}
