package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** `check` end to end: exit codes, formats, bad input, templates, folders, principals together. */
class CheckCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String ADMIN = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
    static final String SCOPED = """
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Sid": "ReadReports", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                 "Resource": ["arn:aws:s3:::acme-reports", "arn:aws:s3:::acme-reports/*"]}
              ]
            }
            """;
    static final String TEMPLATE = """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              DeployRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Principal:
                          Federated: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com
                        Action: sts:AssumeRoleWithWebIdentity
                        Condition:
                          StringEquals:
                            token.actions.githubusercontent.com:aud: sts.amazonaws.com
                  Policies:
                    - PolicyName: deploy
                      PolicyDocument:
                        Version: "2012-10-17"
                        Statement:
                          - Effect: Allow
                            Action: [s3:PutObject]
                            Resource: !Sub "arn:aws:s3:::${Bucket}/*"
                          - Effect: Allow
                            Action: iam:PassRole
                            Resource: !GetAtt ExecRole.Arn
                  ManagedPolicyArns:
                    - !Ref Boundaryless
              Boundaryless:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Action: iam:*
                        Resource: "*"
              Bucket:
                Type: AWS::S3::Bucket
            """;

    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private static void noStackTrace(Cli.Result r) {
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(r.out()).doesNotContain("\tat ");
    }

    @Test
    void exitCodesFollowTheContract() throws Exception {
        write("scoped.json", SCOPED);
        write("admin.json", ADMIN);
        assertThat(Cli.run(dir, "check", "scoped.json").exit()).isEqualTo(0);
        Cli.Result admin = Cli.run(dir, "check", "admin.json");
        assertThat(admin.exit()).isEqualTo(1);
        assertThat(admin.out()).contains("CRITICAL", "ADMIN_ACCESS");
        write("passrole.json", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}");
        assertThat(Cli.run(dir, "check", "passrole.json").exit()).isEqualTo(1);
        assertThat(Cli.run(dir, "check", "--fail-on", "CRITICAL", "passrole.json").exit()).isEqualTo(0);
    }

    @Test
    void badUsageAndUnreadableInputExitTwoWithOneLine() throws Exception {
        write("admin.json", ADMIN);
        write("bad-config.yaml", "trustedAccounts: []\n");
        List<Cli.Result> results = new ArrayList<>();
        results.add(Cli.run(dir, "check", "missing.json"));
        results.add(Cli.run(dir, "check", "--bogus", "admin.json"));
        results.add(Cli.run(dir, "check", "--fail-on", "BOGUS", "admin.json"));
        results.add(Cli.run(dir, "check", "--config", "bad-config.yaml", "admin.json"));
        results.add(Cli.run(dir, "check", "--account", "12345", "admin.json"));
        for (Cli.Result r : results) {
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
            noStackTrace(r);
        }
        assertThat(results.get(0).err()).contains("cannot read `missing.json`: no such file or folder");
        assertThat(results.get(3).err()).contains("unknown key `trustedAccounts`", "valid keys: mode, alertThreshold");
    }

    @Test
    void jsonOutputHasTheContractedFields() throws Exception {
        write("admin.json", ADMIN);
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "admin.json");
        JsonNode root = JSON.readTree(r.out());
        JsonNode findings = root.get("findings");
        assertThat(findings.isArray()).isTrue();
        assertThat(findings).isNotEmpty();
        for (JsonNode f : findings) {
            for (String field : List.of("ruleId", "severity", "title", "message", "source", "remediation")) {
                assertThat(f.hasNonNull(field)).as("field %s in %s", field, f).isTrue();
            }
            assertThat(f.get("location").has("pointer")).isTrue();
            assertThat(f.get("location").get("line").asInt()).isPositive();
            assertThat(f.get("location").get("column").asInt()).isPositive();
        }
        assertThat(findings.get(0).get("ruleId").asText()).isEqualTo("ADMIN_ACCESS");
        assertThat(findings.get(0).get("source").asText()).isEqualTo("admin.json");
    }

    @Test
    void sarifIsWhatGithubCodeScanningReads() throws Exception {
        write("policies/admin.json", ADMIN);
        Cli.Result r = Cli.run(dir, "check", "--format", "sarif", "policies");
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("version").asText()).isEqualTo("2.1.0");
        JsonNode run = root.get("runs").get(0);
        JsonNode rules = run.get("tool").get("driver").get("rules");
        assertThat(rules.size()).isGreaterThan(30);
        for (JsonNode rule : rules) {
            assertThat(rule.get("id").asText()).isNotBlank();
            assertThat(rule.get("properties").get("security-severity").asText()).matches("\\d+\\.\\d");
        }
        JsonNode result = run.get("results").get(0);
        assertThat(result.get("ruleId").asText()).isEqualTo("ADMIN_ACCESS");
        assertThat(result.get("level").asText()).isIn("error", "warning", "note");
        JsonNode location = result.get("locations").get(0).get("physicalLocation");
        assertThat(location.get("artifactLocation").get("uri").asText()).isEqualTo("policies/admin.json");
        assertThat(location.get("region").get("startLine").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(rules.get(result.get("ruleIndex").asInt()).get("id").asText()).isEqualTo("ADMIN_ACCESS");
    }

    @Test
    void textOutputIsGroupedByFileWithLocationAndFix() throws Exception {
        write("admin.json", ADMIN);
        write("scoped.json", SCOPED);
        Cli.Result r = Cli.run(dir, "check", "admin.json", "scoped.json");
        assertThat(r.out()).startsWith("admin.json\n");
        assertThat(r.out()).contains("  CRITICAL ADMIN_ACCESS  1:65 /Statement/0/Action", "fix: ");
        assertThat(r.out()).contains("1 finding (1 critical) in 2 files");
    }

    @Test
    void malformedFilesAreFindingsWithALocationNotCrashes() throws Exception {
        write("truncated.json", "{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"Allow\"");
        write("wrong-type.json", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":5,\"Resource\":\"*\"}]}");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "truncated.json", "wrong-type.json");
        assertThat(r.exit()).isEqualTo(1);
        noStackTrace(r);
        JsonNode findings = JSON.readTree(r.out()).get("findings");
        assertThat(findings).extracting(f -> f.get("ruleId").asText()).containsOnly("MALFORMED_POLICY");
        JsonNode truncated = findings.get(0);
        assertThat(truncated.get("source").asText()).isEqualTo("truncated.json");
        assertThat(truncated.get("location").get("line").asInt()).isEqualTo(2);
        JsonNode wrong = findings.get(1);
        assertThat(wrong.get("message").asText()).isEqualTo("statement 1: expected `Action` to be a string or an array of strings but found a number");
        assertThat(wrong.get("location").get("pointer").asText()).isEqualTo("/Statement/0/Action");
    }

    @Test
    void templatesAreCheckedPerPrincipalWithAbsolutePointers() throws Exception {
        write("template.yaml", TEMPLATE);
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "--account", "111122223333", "template.yaml");
        noStackTrace(r);
        assertThat(r.exit()).isEqualTo(1);
        JsonNode findings = JSON.readTree(r.out()).get("findings");
        List<String> rules = new ArrayList<>();
        findings.forEach(f -> rules.add(f.get("ruleId").asText() + " " + f.get("location").get("pointer").asText()));
        assertThat(rules).contains(
                "TRUST_OIDC_UNSCOPED /Resources/DeployRole/Properties/AssumeRolePolicyDocument/Statement/0/Principal/Federated",
                "PRIVILEGE_ESCALATION /Resources/Boundaryless/Properties/PolicyDocument/Statement/0/Action",
                "INLINE_POLICY /Resources/DeployRole/Properties/Policies/0/PolicyDocument");
        assertThat(rules).anyMatch(s -> s.startsWith("PRIVILEGED_ROLE_EXPOSED "));
        // The scoped statements with intrinsic resources are not reported as unscoped.
        assertThat(rules).noneMatch(s -> s.contains("/Policies/0/PolicyDocument/Statement/0") && s.startsWith("WRITE_WITHOUT_RESOURCE_SCOPE"));
        findings.forEach(f -> assertThat(f.get("principal").asText()).isEqualTo("role DeployRole"));
    }

    @Test
    void foldersAreWalkedAndNonPoliciesSkipped() throws Exception {
        write("infra/iam/admin.json", ADMIN);
        write("infra/iam/nested/scoped.json", SCOPED);
        write("infra/package.json", "{\"name\":\"infra\",\"version\":\"1.0.0\"}");
        write("infra/.github/workflows/ci.yml", "on: push\n");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "infra");
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("summary").get("files").asInt()).isEqualTo(3);
        assertThat(root.get("summary").get("skipped")).extracting(JsonNode::asText).containsExactly("infra/package.json");
        assertThat(root.get("findings")).extracting(f -> f.get("source").asText()).containsOnly("infra/iam/admin.json");
    }

    @Test
    void twoHarmlessPoliciesTogetherEscalate() throws Exception {
        write("pass.json", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"lambda.amazonaws.com\"}}}]}");
        write("lambda.json", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"lambda:CreateFunction\",\"lambda:InvokeFunction\"],\"Resource\":\"*\"}]}");
        Cli.Result apart = Cli.run(dir, "check", "--format", "json", "pass.json", "lambda.json");
        assertThat(JSON.readTree(apart.out()).get("findings")).extracting(f -> f.get("ruleId").asText())
                .doesNotContain("PRIVILEGE_ESCALATION");
        Cli.Result together = Cli.run(dir, "check", "--format", "json", "--together", "pass.json", "lambda.json");
        JsonNode esc = null;
        for (JsonNode f : JSON.readTree(together.out()).get("findings")) {
            if (f.get("ruleId").asText().equals("PRIVILEGE_ESCALATION")) {
                esc = f;
            }
        }
        assertThat(esc).as(together.out()).isNotNull();
        assertThat(esc.get("message").asText()).contains("together allow privilege escalation");
        assertThat(esc.get("related")).isNotEmpty();
        assertThat(together.exit()).isEqualTo(1);
    }

    @Test
    void theAccountDecidesWhatIsExternal() throws Exception {
        write("trust.json", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "[\"arn:aws:iam::111122223333:root\",\"arn:aws:iam::444455556666:root\"]},\"Action\":\"sts:AssumeRole\"}]}");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "--account", "111122223333", "trust.json");
        List<String> external = new ArrayList<>();
        for (JsonNode f : JSON.readTree(r.out()).get("findings")) {
            if (f.get("ruleId").asText().equals("TRUST_EXTERNAL_ACCOUNT")) {
                external.add(f.get("location").get("pointer").asText());
            }
        }
        assertThat(external).containsExactly("/Statement/0/Principal/AWS/1");
    }

    @Test
    void theReadmeQuickStartExamplesRun() throws Exception {
        Path examples = Path.of(System.getProperty("examples.dir", "../functions/examples")).toAbsolutePath();
        Cli.Result r = Cli.run(examples.getParent().getParent(), "check", "--account", "111122223333", "functions/examples");
        noStackTrace(r);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("functions/examples/deploy-role.yaml", "TRUST_OIDC_UNSCOPED", "PRIVILEGE_ESCALATION");
    }

    @Test
    void theWholeManagedPolicyCorpusRunsWithoutEngineErrors() throws Exception {
        String env = System.getenv("IAM_GUARDRAIL_CORPUS");
        Path corpus = Path.of(env != null && !env.isBlank() ? env : System.getProperty("corpus.dir", "../../shared/corpus"),
                "aws-managed-policies").toAbsolutePath();
        assumeTrue(Files.isDirectory(corpus), "the AWS managed policy corpus is absent (expected at " + corpus + ")");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", corpus.toString());
        assertThat(r.exit()).isIn(0, 1);
        noStackTrace(r);
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("summary").get("files").asInt()).isGreaterThan(1500);
        assertThat(root.get("findings")).extracting(f -> f.get("ruleId").asText()).doesNotContain("ENGINE_ERROR", "MALFORMED_POLICY");
    }
}
