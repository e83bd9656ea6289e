package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.iamguardrail.e2e.Fixtures.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;

/** `--together`: two policies of one principal that combine into an escalation path. */
class TogetherTest {

    @TempDir
    Path dir;

    @BeforeEach
    void policies() {
        // iam:PassRole on * alone, and lambda:CreateFunction + lambda:InvokeFunction on * alone.
        Fixtures.copy(dir, "policies/pass-role.json");
        Fixtures.copy(dir, "policies/lambda-deployer.json");
    }

    @Test
    void eachPolicyAloneHasNoEscalationPath() {
        for (String file : new String[] {"pass-role.json", "lambda-deployer.json"}) {
            Cli.Result r = Cli.run(dir, "check", "--format", "json", file);
            assertNoStackTrace(r);
            assertThat(r.ruleIds()).as("%s", r).doesNotContain("PRIVILEGE_ESCALATION");
        }
        Cli.Result both = Cli.run(dir, "check", "--format", "json", "pass-role.json", "lambda-deployer.json");
        assertThat(both.ruleIds()).as("%s", both).doesNotContain("PRIVILEGE_ESCALATION");
        Cli.Result lambdaOnly = Cli.run(dir, "check", "lambda-deployer.json");
        assertThat(lambdaOnly.exit()).as("%s", lambdaOnly).isEqualTo(0);
    }

    @Test
    void togetherTheyAllowPrivilegeEscalation() {
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "--together", "pass-role.json", "lambda-deployer.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        JsonNode escalation = Fixtures.first(r.findings(), "PRIVILEGE_ESCALATION")
                .orElseThrow(() -> new AssertionError("no PRIVILEGE_ESCALATION with --together\n" + r));
        assertThat(escalation.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(escalation.get("message").asText()).contains("pass-role.json", "lambda-deployer.json",
                "iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction");
        // Both places are given: the finding's own location and the related one in the other file.
        String here = escalation.get("source").asText();
        assertThat(here).isIn("pass-role.json", "lambda-deployer.json");
        JsonNode related = escalation.path("related");
        assertThat(related.isArray() && related.size() > 0).as("related locations in %s", escalation).isTrue();
        assertThat(related.get(0).path("source").asText()).isIn("pass-role.json", "lambda-deployer.json").isNotEqualTo(here);
        assertThat(related.get(0).path("line").asInt()).isPositive();

        Cli.Result text = Cli.run(dir, "check", "--together", "pass-role.json", "lambda-deployer.json");
        assertThat(text.out()).contains("PRIVILEGE_ESCALATION", "together allow privilege escalation");
    }

    @Test
    void togetherAPipelineRoleThatMayAssumeAnAdminRoleOfATemplateIsAPathToAdministratorAccess() throws Exception {
        // The CI role's policy is a file; the deploy role, which trusts the account, is in a template.
        java.nio.file.Files.writeString(dir.resolve("ci.json"), """
                {"Version": "2012-10-17", "Statement": [{"Sid": "Deploy", "Effect": "Allow", "Action": "sts:AssumeRole",
                  "Resource": "arn:aws:iam::123456789012:role/deploy-*"}]}
                """);
        java.nio.file.Files.writeString(dir.resolve("deploy.yaml"), """
                Resources:
                  DeployRole:
                    Type: AWS::IAM::Role
                    Properties:
                      RoleName: deploy-admin
                      AssumeRolePolicyDocument:
                        Version: "2012-10-17"
                        Statement:
                          - Effect: Allow
                            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
                            Action: sts:AssumeRole
                      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
                """);
        Cli.Result alone = Cli.run(dir, "check", "--format", "json", "--account", "123456789012", "ci.json", "deploy.yaml");
        assertThat(alone.ruleIds()).as("%s", alone).doesNotContain("PRIVILEGE_PATH");

        Cli.Result r = Cli.run(dir, "check", "--format", "json", "--together", "--account", "123456789012", "ci.json",
                "deploy.yaml");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        JsonNode path = Fixtures.first(r.findings(), "PRIVILEGE_PATH")
                .orElseThrow(() -> new AssertionError("no PRIVILEGE_PATH with --together\n" + r));
        assertThat(path.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(path.get("source").asText()).isEqualTo("ci.json");
        assertThat(path.get("message").asText()).contains("reaches administrator access in 1 hop",
                "may call `sts:AssumeRole` on `arn:aws:iam::123456789012:role/deploy-admin`");
    }
}
