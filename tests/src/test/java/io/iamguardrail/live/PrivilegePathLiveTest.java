package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.IamClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A three-hop chain to administrator access in an account on moto, created with the SDK: a developer may assume a
 * build role, which may assume a release role, which may pass an AdministratorAccess role to a new Lambda function.
 * No policy on the way is administrator access; the packaged CLI's {@code audit --live} names the chain hop by hop.
 */
class PrivilegePathLiveTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "arn:aws:iam::123456789012:";

    private static String trust(String principal) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" + principal
                + ",\"Action\":\"sts:AssumeRole\"}]}";
    }

    private static String allow(String sid, String actions, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"" + sid + "\",\"Effect\":\"Allow\",\"Action\":" + actions
                + ",\"Resource\":\"" + resource + "\"}]}";
    }

    @Test
    void theLiveAuditNamesTheChainFromAUserThroughTwoRolesToAnAdminRole(@TempDir Path dir) throws Exception {
        IamClient iam = MOTO.iam();
        iam.createUser(b -> b.userName("dev"));
        iam.putUserPolicy(b -> b.userName("dev").policyName("assume-build").policyDocument(
                allow("AssumeBuild", "\"sts:AssumeRole\"", ACCOUNT + "role/build-start")));
        iam.createRole(b -> b.roleName("build-start").assumeRolePolicyDocument(trust("{\"AWS\":\"" + ACCOUNT + "root\"}")));
        iam.putRolePolicy(b -> b.roleName("build-start").policyName("assume-release").policyDocument(
                allow("AssumeRelease", "\"sts:AssumeRole\"", ACCOUNT + "role/release-intermediate")));
        iam.createRole(b -> b.roleName("release-intermediate").assumeRolePolicyDocument(
                trust("{\"AWS\":\"" + ACCOUNT + "role/build-start\"}")));
        iam.putRolePolicy(b -> b.roleName("release-intermediate").policyName("deploy-functions").policyDocument(
                allow("DeployFunctions", "[\"iam:PassRole\",\"lambda:CreateFunction\",\"lambda:InvokeFunction\"]", "*")));
        iam.createRole(b -> b.roleName("ops-admin").assumeRolePolicyDocument(trust("{\"Service\":\"lambda.amazonaws.com\"}")));
        iam.attachRolePolicy(b -> b.roleName("ops-admin").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        // Allowed to assume the release role, but its trust admits only build-start: no hop, no path.
        iam.createRole(b -> b.roleName("reports").assumeRolePolicyDocument(trust("{\"Service\":\"lambda.amazonaws.com\"}")));
        iam.putRolePolicy(b -> b.roleName("reports").policyName("assume-release").policyDocument(
                allow("AssumeRelease", "\"sts:AssumeRole\"", ACCOUNT + "role/release-intermediate")));

        JarCli.Run run = JarCli.run(MOTO, dir, Map.of(), "audit", "--live", "--format", "json");

        assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isEqualTo(1);
        JsonNode report = JSON.readTree(run.out());
        JsonNode dev = null;
        List<String> principals = new ArrayList<>();
        for (JsonNode p : report.path("paths")) {
            principals.add(p.path("principal").asText());
            dev = p.path("principal").asText().equals(ACCOUNT + "user/dev") ? p : dev;
        }
        assertThat(principals).containsExactlyInAnyOrder(ACCOUNT + "user/dev", ACCOUNT + "role/build-start",
                ACCOUNT + "role/release-intermediate");
        assertThat(dev).isNotNull();
        assertThat(dev.path("reaches").asText()).isEqualTo("admin");
        assertThat(dev.path("severity").asText()).isEqualTo("CRITICAL");
        List<String> hops = new ArrayList<>();
        dev.path("hops").forEach(h -> hops.add(h.path("from").asText() + " -" + h.path("method").asText() + "-> "
                + h.path("to").asText() + " (" + h.path("evidence").path("statement").asText() + ")"));
        assertThat(hops).containsExactly(
                ACCOUNT + "user/dev -assume-> " + ACCOUNT + "role/build-start (statement `AssumeBuild` (#1))",
                ACCOUNT + "role/build-start -assume-> " + ACCOUNT + "role/release-intermediate (statement `AssumeRelease` (#1))",
                ACCOUNT + "role/release-intermediate -pass-role-> " + ACCOUNT + "role/ops-admin (statement `DeployFunctions` (#1))");
        List<String> devRules = new ArrayList<>();
        report.path("findings").forEach(f -> {
            if (f.path("principal").asText().equals(ACCOUNT + "user/dev")) {
                devRules.add(f.path("ruleId").asText());
            }
        });
        assertThat(devRules).contains("PRIVILEGE_PATH");
    }

    /** The real-time case: neither policy is risky alone, the new trust opens the path. */
    @Test
    void replayingANewTrustOnMotoReportsThePathItOpens(@TempDir Path dir) throws Exception {
        IamClient iam = MOTO.iam();
        String trustsCi = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"CiDeploys\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"" + ACCOUNT + "role/ci-runner\"},\"Action\":\"sts:AssumeRole\"}]}";
        iam.createRole(b -> b.roleName("ci-runner").assumeRolePolicyDocument(trust("{\"Service\":\"codebuild.amazonaws.com\"}")));
        iam.putRolePolicy(b -> b.roleName("ci-runner").policyName("artifacts").policyDocument(
                allow("Artifacts", "[\"s3:GetObject\",\"s3:PutObject\"]", "arn:aws:s3:::ci-artifacts/*")));
        iam.createRole(b -> b.roleName("deploy-admin").assumeRolePolicyDocument(
                trust("{\"Service\":\"cloudformation.amazonaws.com\"}")));
        iam.attachRolePolicy(b -> b.roleName("deploy-admin").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        // The change the event reports, as IAM shows it once made.
        iam.updateAssumeRolePolicy(b -> b.roleName("deploy-admin").policyDocument(trustsCi));
        Path file = dir.resolve("update-trust.json");
        Files.writeString(file, LiveEvaluatorTest.event("UpdateAssumeRolePolicy", "{\"roleName\":\"deploy-admin\","
                + "\"policyDocument\":" + JSON.writeValueAsString(trustsCi) + "}"));

        JarCli.Run run = JarCli.run(MOTO, dir, Map.of(), "replay", "--live", "--format", "json", file.toString());

        assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isEqualTo(1);
        JsonNode path = null;
        for (JsonNode f : run.event().path("findings")) {
            path = f.path("ruleId").asText().equals("PRIVILEGE_PATH") ? f : path;
        }
        assertThat(path).as("findings: %s", run.event().path("findings")).isNotNull();
        assertThat(path.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(path.path("message").asText()).contains("`" + ACCOUNT + "role/ci-runner` reaches administrator access in 1 hop",
                "`" + ACCOUNT + "role/deploy-admin`", "opened by this change");
    }
}
