package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.iamguardrail.e2e.Fixtures.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;

/** CloudFormation and SAM templates: findings located in the template, per principal, intrinsics never crash. */
class TemplatesTest {

    private static final String DEPLOY_ROLE = "/Resources/DeployRole/Properties";
    private static final String MANAGED_POLICY = "/Resources/DeployManagedPolicy/Properties/PolicyDocument";

    @TempDir
    Path dir;

    private static String where(JsonNode f) {
        return f.get("ruleId").asText() + " " + f.get("location").get("pointer").asText();
    }

    @Test
    void aCloudFormationDeployRoleIsCheckedWithItsTrustInlineAndAttachedManagedPolicy() {
        Path template = Fixtures.copy(dir, "templates/deploy-stack.yaml", "infra/deploy-stack.yaml");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "--account", "111122223333", "infra/deploy-stack.yaml");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        List<JsonNode> findings = r.findings();
        List<String> where = findings.stream().map(TemplatesTest::where).toList();

        // The GitHub trust without `sub`, in the role's AssumeRolePolicyDocument.
        assertThat(where).as("%s", r).contains(
                "TRUST_OIDC_UNSCOPED " + DEPLOY_ROLE + "/AssumeRolePolicyDocument/Statement/0/Principal/Federated",
                // iam:* in the managed policy attached with ManagedPolicyArns: !Ref counts for the role.
                "PRIVILEGE_ESCALATION " + MANAGED_POLICY + "/Statement/1/Action",
                "PASSROLE_UNRESTRICTED " + MANAGED_POLICY + "/Statement/1/Action",
                "INLINE_POLICY " + DEPLOY_ROLE + "/Policies/0/PolicyDocument");
        // A privileged role that all of GitHub can assume.
        assertThat(where).anyMatch(w -> w.startsWith("PRIVILEGED_ROLE_EXPOSED " + DEPLOY_ROLE + "/AssumeRolePolicyDocument"));

        for (JsonNode f : findings) {
            assertThat(f.get("source").asText()).isEqualTo("infra/deploy-stack.yaml");
            assertThat(f.get("location").get("pointer").asText()).as("absolute pointer of %s", f).startsWith("/Resources/");
            assertThat(f.get("location").get("line").asInt()).as("%s", f).isPositive();
            if (!f.path("principal").asText().equals("role DeployRole")) {
                // The function role gets AWSLambdaBasicExecutionRole (log writes on `*`): reported, but below HIGH.
                assertThat(f.path("principal").asText()).as("principal of %s", f).isEqualTo("role FunctionExecutionRole");
                assertThat(f.get("location").get("pointer").asText()).isEqualTo("/Resources/FunctionExecutionRole/Properties/ManagedPolicyArns/0");
                assertThat(f.get("severity").asText()).as("%s", f).isIn("MEDIUM", "LOW", "INFO");
            }
        }
        // The scoped statements (resources from !Sub and !GetAtt) are not reported as unscoped or malformed.
        assertThat(where).noneMatch(w -> w.contains(DEPLOY_ROLE + "/Policies/0/PolicyDocument/Statement/"));
        assertThat(where).noneMatch(w -> w.contains(MANAGED_POLICY + "/Statement/0"));
        assertThat(r.ruleIds()).doesNotContain("MALFORMED_POLICY", "ENGINE_ERROR");

        // Line and column point at the offending values in the YAML.
        JsonNode oidc = Fixtures.first(findings, "TRUST_OIDC_UNSCOPED").orElseThrow();
        assertThat(Fixtures.textAt(template, oidc.get("location").get("line").asInt(), oidc.get("location").get("column").asInt()))
                .startsWith("!Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com\"");
        JsonNode escalation = Fixtures.first(findings, "PRIVILEGE_ESCALATION").orElseThrow();
        assertThat(Fixtures.textAt(template, escalation.get("location").get("line").asInt(), escalation.get("location").get("column").asInt()))
                .isEqualTo("iam:*");
    }

    @Test
    void theTemplateInTextShowsPrincipalLineColumnAndPointer() {
        Fixtures.copy(dir, "templates/deploy-stack.yaml", "deploy-stack.yaml");
        Cli.Result r = Cli.run(dir, "check", "--account", "111122223333", "deploy-stack.yaml");
        assertNoStackTrace(r);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("deploy-stack.yaml\n")
                .contains("CRITICAL TRUST_OIDC_UNSCOPED  27:26 " + DEPLOY_ROLE + "/AssumeRolePolicyDocument/Statement/0/Principal/Federated")
                .contains("CRITICAL PRIVILEGE_ESCALATION  64:21 " + MANAGED_POLICY + "/Statement/1/Action")
                .contains("principal: role DeployRole");
    }

    @Test
    void samFunctionPoliciesAreCheckedAsTheFunctionsExecutionRole() {
        Fixtures.copy(dir, "templates/orders-sam.yaml", "template.yaml");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "--account", "111122223333", "template.yaml");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        List<JsonNode> findings = r.findings();
        List<String> where = findings.stream().map(TemplatesTest::where).toList();
        assertThat(where).as("%s", r).contains(
                "PASSROLE_UNRESTRICTED /Resources/ReportsFunction/Properties/Policies/0/Statement/1/Action",
                "DATA_EXFILTRATION /Resources/ReportsFunction/Properties/Policies/0/Statement/0/Action");
        JsonNode passRole = Fixtures.first(findings, "PASSROLE_UNRESTRICTED").orElseThrow();
        assertThat(passRole.get("principal").asText()).contains("ReportsFunction");
        // The scoped function: its statement and the DynamoDBCrudPolicy SAM policy template raise nothing above LOW.
        assertThat(findings).filteredOn(f -> f.get("location").get("pointer").asText().startsWith("/Resources/CreateOrderFunction/"))
                .allSatisfy(f -> assertThat(f.get("severity").asText()).isIn("LOW", "INFO"));
        assertThat(r.ruleIds()).doesNotContain("MALFORMED_POLICY", "ENGINE_ERROR");

        // Only HIGH and below: passes a CRITICAL gate.
        assertThat(Cli.run(dir, "check", "--fail-on", "CRITICAL", "template.yaml").exit()).isEqualTo(0);
    }

    @Test
    void intrinsicFunctionsEverywhereNeverCrash() {
        Fixtures.copy(dir, "templates/intrinsics-everywhere.yaml", "stack.yaml");
        for (String format : List.of("json", "sarif", "text")) {
            Cli.Result r = Cli.run(dir, "check", "--format", format, "--account", "111122223333", "stack.yaml");
            assertNoStackTrace(r);
            assertThat(r.exit()).as("%s", r).isIn(0, 1);
            assertThat(r.err()).as("%s", r).isEmpty();
            if (format.equals("json")) {
                assertThat(r.ruleIds()).as("%s", r).doesNotContain("ENGINE_ERROR");
                assertThat(r.findings()).allSatisfy(f -> assertThat(f.get("location").get("pointer").asText()).startsWith("/Resources/"));
            }
        }
    }

    @Test
    void conditionalStatementsWithFnIfAreNotMalformed() {
        // `!If [Cond, {statement}, !Ref AWS::NoValue]` in a Statement list and `Fn::If` as a Condition are valid
        // CloudFormation; the README promises intrinsic functions are kept as opaque values.
        Fixtures.copy(dir, "templates/conditional-statement.yaml", "conditional-statement.yaml");
        Fixtures.copy(dir, "templates/conditional-condition.json", "conditional-condition.json");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "--account", "111122223333",
                "conditional-statement.yaml", "conditional-condition.json");
        assertNoStackTrace(r);
        assertThat(r.ruleIds()).as("%s", r).doesNotContain("MALFORMED_POLICY", "ENGINE_ERROR");
        assertThat(r.exit()).as("only LOW findings (inline policies) in two well-scoped templates\n%s", r).isEqualTo(0);
    }

    @Test
    void aGitHubTrustThroughTheTemplatesOidcProviderIsStillUnscoped() {
        // Federated: !Ref GithubOidc (an AWS::IAM::OIDCProvider for token.actions.githubusercontent.com in the same
        // template), and the condition keys name the provider: any GitHub repository can assume this role.
        Fixtures.copy(dir, "templates/github-oidc-provider-ref.yaml", "template.yaml");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "--account", "111122223333", "template.yaml");
        assertNoStackTrace(r);
        assertThat(r.findings()).extracting(TemplatesTest::where).as("%s", r)
                .contains("TRUST_OIDC_UNSCOPED /Resources/GitHubDeployRole/Properties/AssumeRolePolicyDocument/Statement/0/Principal/Federated");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void theIssuesThreeExamplesAreFindingsAndFailTheBuild() {
        Path template = Fixtures.copy(dir, "templates/issue-admin-and-public.yaml", "template.yaml");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "template.yaml");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        List<String> where = r.findings().stream().map(f -> where(f) + " " + f.get("severity").asText()).toList();
        assertThat(where).as("%s", r).contains(
                "ADMIN_ACCESS /Resources/OpsRole/Properties/ManagedPolicyArns/0 CRITICAL",
                "ADMIN_ACCESS /Resources/ReportsFunction/Properties/Policies/0 CRITICAL",
                "RESOURCE_PUBLIC /Resources/AssetsBucketPolicy/Properties/PolicyDocument/Statement/0/Principal CRITICAL");
        // The own account through !Sub is not an outside account called `${AWS`.
        assertThat(r.ruleIds()).doesNotContain("TRUST_EXTERNAL_ACCOUNT", "MALFORMED_POLICY", "ENGINE_ERROR");
        JsonNode admin = Fixtures.first(r.findings(), "ADMIN_ACCESS").orElseThrow();
        assertThat(Fixtures.textAt(template, admin.get("location").get("line").asInt(), admin.get("location").get("column").asInt()))
                .startsWith("arn:aws:iam::aws:policy/AdministratorAccess");

        Cli.Result sarif = Cli.run(dir, "check", "--format", "sarif", "template.yaml");
        assertThat(sarif.exit()).as("%s", sarif).isEqualTo(1);
        assertThat(sarif.out()).contains("RESOURCE_PUBLIC", "ADMIN_ACCESS");
    }

    @Test
    void aResourcePolicyFileIsCheckedWithKindResource() {
        Fixtures.copy(dir, "resource-policies/public-queue.json", "queue-policy.json");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "--kind", "resource", "--account", "111122223333",
                "queue-policy.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.findings()).anySatisfy(f -> {
            assertThat(f.get("ruleId").asText()).isEqualTo("RESOURCE_PUBLIC");
            assertThat(f.get("severity").asText()).isEqualTo("CRITICAL");
            assertThat(f.get("location").get("pointer").asText()).isEqualTo("/Statement/0/Principal/AWS");
        });
        // The same document detected without --kind is read as a resource policy too.
        assertThat(Cli.run(dir, "check", "--format", "json", "queue-policy.json").ruleIds()).contains("RESOURCE_PUBLIC");
    }
}
