package io.iamguardrail.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code check --together}: the paths to administrator access among the principals templates define. */
class CheckTogetherPathsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("src/test/resources/check-paths");

    private record Run(int code, String out, String err) {
    }

    private static Run check(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("check"));
        all.addAll(List.of(args));
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private static List<JsonNode> paths(Run r) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : JSON.readTree(r.out()).get("findings")) {
            if (f.get("ruleId").asText().equals("PRIVILEGE_PATH")) {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void aCiRoleThatMayAssumeTheDeployAdminRoleReachesAdministratorAccess() throws Exception {
        Run r = check("--together", "--account", "123456789012", "--format", "json",
                FIXTURES.resolve("fail/ci-assumes-deploy-admin.yaml").toString());
        List<JsonNode> paths = paths(r);
        JsonNode ci = paths.stream().filter(f -> f.get("message").asText().startsWith(
                "`arn:aws:iam::123456789012:role/ci-runner` reaches administrator access in 1 hop")).findFirst().orElseThrow();
        assertThat(ci.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(ci.get("message").asText()).contains("by assume: may call `sts:AssumeRole` on"
                + " `arn:aws:iam::123456789012:role/deploy-admin`");
        assertThat(ci.get("source").asText()).endsWith("ci-assumes-deploy-admin.yaml");
        assertThat(ci.get("location").get("pointer").asText())
                .isEqualTo("/Resources/CiRole/Properties/Policies/0/PolicyDocument/Statement/1");
        assertThat(ci.get("location").get("line").asInt()).isEqualTo(33);
        // The deploy role's trust statement that admits the CI role is cited at its line.
        assertThat(ci.get("related")).anySatisfy(cited -> {
            assertThat(cited.get("pointer").asText()).isEqualTo("/Resources/DeployRole/Properties/AssumeRolePolicyDocument/Statement/0");
            assertThat(cited.get("line").asInt()).isEqualTo(44);
        });
        // GitHub signs in to the CI role: the provider is the entry of a two-hop path.
        assertThat(paths).anyMatch(f -> f.get("message").asText().contains("token.actions.githubusercontent.com` reaches"
                + " administrator access in 2 hops"));
        assertThat(r.code()).isEqualTo(Main.FINDINGS);
    }

    @Test
    void aRoleThatMayPassAnAdministratorRoleToLambdaAndCreateFunctionsReachesIt() throws Exception {
        Run r = check("--together", "--format", "json", FIXTURES.resolve("fail/pass-admin-role-to-lambda.yaml").toString());
        JsonNode build = paths(r).stream().filter(f -> f.get("message").asText().startsWith(
                "`arn:aws:iam::000000000000:role/functions-build` reaches administrator access")).findFirst().orElseThrow();
        assertThat(build.get("message").asText())
                .contains("by pass-role: may pass `arn:aws:iam::000000000000:role/FunctionRole` to `lambda.amazonaws.com`")
                .contains("lambda-passrole-create-function-invoke")
                // No --account, and a role that CloudFormation names: the finding says how the graph wrote them.
                .contains("their account is written `000000000000` (--account names it)")
                .contains("`arn:aws:iam::000000000000:role/FunctionRole` is named at deployment");
        assertThat(build.get("location").get("pointer").asText())
                .isEqualTo("/Resources/BuildRole/Properties/Policies/0/PolicyDocument/Statement/0");
    }

    @Test
    void aGroupMemberThatMayRewriteATrustReachesTheRoleAndSaysWhatTheGraphCannotSee() throws Exception {
        Run r = check("--together", "--account", "123456789012", "--format", "json",
                FIXTURES.resolve("fail/group-member-escalates.yaml").toString());
        JsonNode dana = paths(r).stream().filter(f -> f.get("message").asText().startsWith(
                "`arn:aws:iam::123456789012:user/dana` reaches administrator access")).findFirst().orElseThrow();
        assertThat(dana.get("message").asText())
                .contains("by modify: may rewrite the trust of `arn:aws:iam::123456789012:role/operations`")
                .contains("partial: `Developer` holds `${AuditPolicyArn}`, known only at deployment",
                        "`Developer` allows `sts:AssumeRole` on a resource known only at deployment (statement `BreakGlass` (#1))");
        assertThat(dana.get("principal").asText()).isEqualTo("user dana");
    }

    @Test
    void policyFilesTogetherAreOnePrincipalOfTheGraph() throws Exception {
        Run r = check("--together", "--account", "123456789012", "--format", "json",
                FIXTURES.resolve("ci-policy.json").toString(), FIXTURES.resolve("fail/ci-assumes-deploy-admin.yaml").toString());
        // deploy-admin's trust names ci-runner only: the policy files' principal may not assume it.
        assertThat(paths(r)).noneMatch(f -> f.get("message").asText().startsWith("`1 policies together`"));
        Run root = check("--together", "--account", "123456789012", "--format", "json",
                FIXTURES.resolve("ci-policy.json").toString(), FIXTURES.resolve("fail/group-member-escalates.yaml").toString());
        assertThat(paths(root)).noneMatch(f -> f.get("message").asText().startsWith("`1 policies together`"));
        // A trust that admits the account's root admits the policy files' principal: its grant names `role/deploy-*`.
        Run open = check("--together", "--account", "123456789012", "--format", "json",
                FIXTURES.resolve("ci-policy.json").toString(), FIXTURES.resolve("fail/deploy-role-trusts-account.yaml").toString());
        JsonNode together = paths(open).stream().filter(f -> f.get("message").asText().startsWith(
                "`1 policies together` reaches administrator access")).findFirst().orElseThrow();
        assertThat(together.get("message").asText()).contains("trust: " + FIXTURES.resolve("fail/deploy-role-trusts-account.yaml") + ", statement #1");
        assertThat(together.get("source").asText()).endsWith("ci-policy.json");
        assertThat(together.get("location").get("line").asInt()).isEqualTo(4);
    }

    @Test
    void withoutTogetherNoPathIsReported() throws Exception {
        Run r = check("--account", "123456789012", "--format", "json",
                FIXTURES.resolve("fail/ci-assumes-deploy-admin.yaml").toString());
        assertThat(paths(r)).isEmpty();
    }

    @Test
    void templatesWithoutAPathToAdministratorAccessHaveNoPathFinding() throws Exception {
        for (String pass : List.of("pass/ci-assumes-deploy-readonly.yaml", "pass/pass-role-to-ecs-only.yaml")) {
            Run r = check("--together", "--account", "123456789012", "--format", "json", FIXTURES.resolve(pass).toString());
            assertThat(paths(r)).as(pass).isEmpty();
        }
    }

    @Test
    void textAndSarifCarryThePathAtTheStatementOfTheFirstHop() throws Exception {
        String template = FIXTURES.resolve("fail/ci-assumes-deploy-admin.yaml").toString();
        Run text = check("--together", "--account", "123456789012", template);
        assertThat(text.out()).contains("CRITICAL PRIVILEGE_PATH  33:17 /Resources/CiRole/Properties/Policies/0/PolicyDocument/Statement/1");
        Run sarif = check("--together", "--account", "123456789012", "--format", "sarif", template);
        JsonNode result = null;
        for (JsonNode res : JSON.readTree(sarif.out()).get("runs").get(0).get("results")) {
            if (res.get("ruleId").asText().equals("PRIVILEGE_PATH") && res.get("level").asText().equals("error")) {
                result = res;
            }
        }
        assertThat(result).isNotNull();
        assertThat(result.get("locations").get(0).get("physicalLocation").get("region").get("startLine").asInt()).isEqualTo(33);
    }
}
