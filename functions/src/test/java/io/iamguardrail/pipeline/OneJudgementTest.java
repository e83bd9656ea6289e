package io.iamguardrail.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.audit.AccessAdvisor;
import io.iamguardrail.audit.AccountSnapshot;
import io.iamguardrail.audit.Audit;
import io.iamguardrail.audit.AuditReport;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.cli.Main;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.rules.Rules;
import io.iamguardrail.tamper.OwnStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same role, the same configuration: {@code check} on the template that defines it, the real-time evaluator on
 * the event that attaches its policy, and the scheduled audit of the account report the same findings at the same
 * severities, because all three judge through the engine's one judgement.
 */
class OneJudgementTest {

    static final String POLICY = "PowerUserAccess";
    static final String POLICY_ARN = "arn:aws:iam::aws:policy/" + POLICY;
    static final String ROLE_ARN = "arn:aws:iam::123456789012:role/data-pipeline";
    static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    /** A rule turned off, a severity lowered, and an exemption for the role under its deployed and template names. */
    static final String CONFIG = """
            accountId: "123456789012"
            rules:
              PRIVILEGE_ESCALATION: { enabled: false }
              ALLOW_WITH_NOT_ACTION: { severity: LOW }
            exemptions:
              - principal: data-pipeline
                rules: [DATA_EXFILTRATION]
                reason: reads every bucket by design, reviewed by the data team
                expires: 2099-12-31
              - principal: role data-pipeline
                rules: [DATA_EXFILTRATION]
                reason: reads every bucket by design, reviewed by the data team
                expires: 2099-12-31
            """;
    static final ObjectMapper JSON = new ObjectMapper();

    private static String document;

    @BeforeAll
    static void realPolicy() throws Exception {
        String env = System.getenv("IAM_GUARDRAIL_CORPUS");
        Path corpus = Path.of(env != null && !env.isBlank() ? env : System.getProperty("corpus.dir", "../../shared/corpus"),
                "aws-managed-policies", POLICY + ".json");
        assumeTrue(Files.isRegularFile(corpus), "the AWS managed policy corpus is absent (expected " + corpus.toAbsolutePath() + ")");
        document = Files.readString(corpus);
    }

    private static GuardrailConfig config() throws Exception {
        return new ConfigLoader(Rules.configurableIds()).load(CONFIG, "guardrail.yaml");
    }

    @Test
    void checkTheEvaluatorAndTheAuditJudgeARoleAlike(@TempDir Path dir) throws Exception {
        TreeSet<String> evaluator = evaluator();
        TreeSet<String> check = check(dir);
        TreeSet<String> audit = audit();

        // The configuration is in force: the rule turned off, the exempted finding and the lowered severity.
        assertThat(evaluator).noneMatch(f -> f.startsWith("PRIVILEGE_ESCALATION") || f.startsWith("DATA_EXFILTRATION"))
                .contains("ALLOW_WITH_NOT_ACTION LOW");
        assertThat(check).as("check").isEqualTo(evaluator);
        assertThat(audit).as("audit").isEqualTo(evaluator);
    }

    @Test
    void aPolicyBesideAnAwsManagedOneKeepsTheFindingsAboutHowItIsWritten(@TempDir Path dir) throws Exception {
        // Written into the same template as the AWS managed policy, so it shares its source: only where the AWS
        // document was read from marks a finding as AWS's.
        Path template = Files.writeString(dir.resolve("template.yaml"), """
                Resources:
                  DataPipelineRole:
                    Type: AWS::IAM::Role
                    Properties:
                      RoleName: data-pipeline
                      AssumeRolePolicyDocument: %s
                      ManagedPolicyArns: [%s]
                      Policies:
                        - PolicyName: AWSReadReports
                          PolicyDocument:
                            Version: "2012-10-17"
                            Statement:
                              - Effect: Allow
                                Action: s3:GetObjet
                                Resource: arn:aws:s3:::reports/*
                """.formatted(TRUST, POLICY_ARN));
        StringWriter out = new StringWriter();
        Main.run(new String[] {"check", "--format", "json", template.toString()}, new PrintWriter(out),
                new PrintWriter(new StringWriter()));

        List<String> rules = JSON.readTree(out.toString()).get("findings").findValuesAsText("ruleId");
        assertThat(rules).contains("UNKNOWN_ACTION");
    }

    /** The real-time evaluator on the AttachRolePolicy event, reading the role from IAM. */
    private static TreeSet<String> evaluator() throws Exception {
        FakeIamState iam = new FakeIamState().role("data-pipeline", TRUST, Map.of(), List.of(POLICY_ARN))
                .policy(POLICY_ARN, "v1", document, true);
        Decision d = new EventEvaluator(iam, config(), GuardrailIdentity.none(), OwnStack.NONE).evaluate(Events.event(
                "AttachRolePolicy", "{\"roleName\":\"data-pipeline\",\"policyArn\":\"" + POLICY_ARN + "\"}"));
        return shown(d.findings());
    }

    /** {@code check --format json} on the template that defines the role. */
    private static TreeSet<String> check(Path dir) throws Exception {
        Path template = Files.writeString(dir.resolve("template.yaml"), """
                AWSTemplateFormatVersion: "2010-09-09"
                Resources:
                  DataPipelineRole:
                    Type: AWS::IAM::Role
                    Properties:
                      RoleName: data-pipeline
                      AssumeRolePolicyDocument: %s
                      ManagedPolicyArns:
                        - %s
                """.formatted(TRUST, POLICY_ARN));
        Path config = Files.writeString(dir.resolve("guardrail.yaml"), CONFIG);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Main.run(new String[] {"check", "--config", config.toString(), "--format", "json", template.toString()},
                new PrintWriter(out), new PrintWriter(err));
        TreeSet<String> shown = new TreeSet<>();
        for (JsonNode f : JSON.readTree(out.toString()).get("findings")) {
            shown.add(f.get("ruleId").asText() + " " + f.get("severity").asText());
        }
        return shown;
    }

    /** The audit of an account holding the role, its policy described as GetAccountAuthorizationDetails does. */
    private static TreeSet<String> audit() throws Exception {
        Instant now = Instant.parse("2026-11-29T04:00:00Z");
        AccountSnapshot account = new AccountSnapshot(Optional.of("123456789012"), List.of(new AccountSnapshot.Role(
                "data-pipeline", ROLE_ARN, "/", Optional.of(now.minusSeconds(86_400)), TRUST, Map.of(), List.of(POLICY_ARN),
                Optional.empty(), Optional.of(now.minusSeconds(3_600)))), List.of(), List.of(),
                Map.of(POLICY_ARN, new AccountSnapshot.ManagedPolicy(POLICY_ARN, POLICY, "v1", Optional.of(document), 1)));
        AuditReport r = new Audit(config(), AccessAdvisor.NONE, ManagedPolicySnapshot.bundled(), 90, 1000,
                Clock.fixed(now, ZoneOffset.UTC)).run(account, Optional.empty());
        return shown(r.principals().stream().flatMap(p -> p.findings().stream()).map(AuditReport.Item::finding).toList());
    }

    private static TreeSet<String> shown(List<Finding> findings) {
        TreeSet<String> out = new TreeSet<>();
        findings.forEach(f -> out.add(f.ruleId() + " " + f.severity()));
        return out;
    }
}
