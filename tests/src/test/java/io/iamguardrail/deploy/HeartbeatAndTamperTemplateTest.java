package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.iamguardrail.deploy.StackPolicies.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.iamguardrail.deploy.StackPolicies.ACCOUNT;
import static io.iamguardrail.deploy.StackPolicies.STACK;
import static io.iamguardrail.deploy.StackPolicies.applies;
import static io.iamguardrail.deploy.StackPolicies.resolve;
import static io.iamguardrail.deploy.StackPolicies.roleArn;
import static io.iamguardrail.deploy.StackPolicies.statements;
import static io.iamguardrail.deploy.StackPolicies.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heartbeat and the tamper watch as template.yaml deploys them, tried as someone would abuse or silence them:
 * assume the canary, use the heartbeat's role for anything else, let the heartbeat stop unnoticed, or change a
 * resource of the stack the evaluator does not know.
 */
class HeartbeatAndTamperTemplateTest {

    static JsonNode resources;
    static JsonNode env;
    static final String CANARY = "arn:aws:iam::" + ACCOUNT + ":role/" + STACK + "-canary";

    @BeforeAll
    static void read() throws Exception {
        resources = DeployTemplate.template().path("Resources");
        env = resources.path("EvaluatorFunction").path("Properties").path("Environment").path("Variables");
    }

    @Test
    void theCanaryTrustsNobodyAndMayDoNothing() {
        JsonNode canary = resources.path("CanaryRole").path("Properties");
        List<JsonNode> trust = statements(resources, "CanaryRole", "AssumeRolePolicyDocument");

        assertThat(roleArn(resources, "CanaryRole")).isEqualTo(CANARY);
        assertThat(trust).isNotEmpty().allSatisfy(st -> assertThat(st.path("Effect").asText()).isEqualTo("Deny"));
        assertThat(canary.has("ManagedPolicyArns")).isFalse();
        assertThat(canary.has("Policies")).isFalse();
        assertThat(canary.has("PermissionsBoundary")).isFalse();
    }

    @Test
    void theHeartbeatsRoleMayOnlyPutTheHeartbeatTagOnTheCanary() {
        List<JsonNode> policy = statements(resources, "HeartbeatPolicy", "PolicyDocument");
        String heartbeat = roleArn(resources, "HeartbeatRole");

        assertThat(applies(policy, "Allow", new Request(heartbeat, "iam:TagRole", CANARY)
                .with("aws:TagKeys", "iam-guardrail:heartbeat"))).isTrue();
        // Tagging the evaluator (or anything but the canary), or with another key, or another IAM call: not allowed.
        assertThat(applies(policy, "Allow", new Request(heartbeat, "iam:TagRole",
                "arn:aws:iam::" + ACCOUNT + ":role/" + STACK + "-evaluator").with("aws:TagKeys", "iam-guardrail:heartbeat"))).isFalse();
        assertThat(applies(policy, "Allow", new Request(heartbeat, "iam:TagRole", CANARY)
                .with("aws:TagKeys", "iam-guardrail:heartbeat,iam-guardrail:quarantined"))).isFalse();
        assertThat(applies(policy, "Allow", new Request(heartbeat, "iam:AttachRolePolicy", CANARY))).isFalse();
        // Only this schedule's scheduler may assume it.
        JsonNode trust = statements(resources, "HeartbeatRole", "AssumeRolePolicyDocument").get(0);
        assertThat(trust.path("Principal").path("Service").asText()).isEqualTo("scheduler.amazonaws.com");
        assertThat(resolve(trust.path("Condition").path("ArnEquals").path("aws:SourceArn").asText()))
                .isEqualTo("arn:aws:scheduler:us-east-1:" + ACCOUNT + ":schedule/default/" + STACK + "-heartbeat");
    }

    @Test
    void theScheduleTagsTheCanaryTheEvaluatorExpectsWithTheRoleItExpects() {
        JsonNode schedule = resources.path("HeartbeatSchedule").path("Properties");
        JsonNode target = schedule.path("Target");

        assertThat(resolve(schedule.path("Name").asText())).isEqualTo(STACK + "-heartbeat");
        assertThat(resolve(target.path("Arn").asText())).isEqualTo("arn:aws:scheduler:::aws-sdk:iam:tagRole");
        assertThat(resolve(target.path("Input").asText())).contains("\"RoleName\":\"" + STACK + "-canary\"")
                .contains("\"Key\":\"iam-guardrail:heartbeat\"");
        assertThat(target.path("RoleArn").asText()).isEqualTo("HeartbeatRole.Arn");
        assertThat(resolve(env.path("HEARTBEAT_CANARY_ROLE").asText())).isEqualTo(STACK + "-canary");
        assertThat(resolve(env.path("HEARTBEAT_CALLER_ROLE_ARN").asText())).isEqualTo(roleArn(resources, "HeartbeatRole"));
    }

    @Test
    void aHeartbeatThatDoesNotArriveWithinAnHourAfterItWasDueAlarmsTheOperationsTopic() {
        JsonNode alarm = resources.path("HeartbeatMissingAlarm").path("Properties");

        // The metric the decision log writes (DecisionLog: namespace IamGuardrail, dimensions service and Verdict;
        // ObservabilityTemplateTest runs the heartbeat event through the evaluator and finds this very metric).
        assertThat(alarm.path("Namespace").asText()).isEqualTo("IamGuardrail");
        assertThat(alarm.path("MetricName").asText()).isEqualTo("HeartbeatReceived");
        assertThat(alarm.path("Dimensions").toString())
                .isEqualTo("[{\"Name\":\"service\",\"Value\":\"evaluator\"},{\"Name\":\"Verdict\",\"Value\":\"NO_ALERT\"}]");
        // Daily heartbeat + one hour of grace: 25 hourly periods, all of them without a heartbeat.
        assertThat(alarm.path("Period").asInt() * alarm.path("EvaluationPeriods").asInt()).isEqualTo(25 * 3600);
        assertThat(alarm.path("DatapointsToAlarm").asInt()).isEqualTo(alarm.path("EvaluationPeriods").asInt());
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("LessThanThreshold");
        assertThat(alarm.path("Threshold").asInt()).isEqualTo(1);
        // An evaluator that processes nothing reports nothing: silence is the failure to catch.
        assertThat(alarm.path("TreatMissingData").asText()).isEqualTo("breaching");
        assertThat(values(alarm.path("AlarmActions"))).containsExactly("OperationsTopic");
        JsonNode publish = statements(resources, "OperationsTopicPolicy", "PolicyDocument").stream()
                .filter(st -> st.path("Sid").asText().equals("StackAlarmsPublish")).findFirst().orElseThrow();
        assertThat(values(publish.path("Condition").path("ArnEquals").path("aws:SourceArn")))
                .contains("HeartbeatMissingAlarm.Arn");
    }

    /** The entries of GUARDRAIL_RESOURCES as the template writes them (a conditional entry: its true branch). */
    /** The entries as the evaluator reads them: `~` is the stack's name (GUARDRAIL_STACK). */
    static List<String> resourceEntries() {
        assertThat(env.path("GUARDRAIL_STACK").asText()).isEqualTo("AWS::StackName");
        return writtenEntries().stream().map(e -> e.replace("~", STACK)).toList();
    }

    /** The entries as the template writes them, for the deployed stack. */
    static List<String> writtenEntries() {
        List<String> out = new ArrayList<>();
        for (JsonNode n : env.path("GUARDRAIL_RESOURCES").get(1)) {
            JsonNode v = n.isArray() && n.size() == 3 && n.get(0).isTextual() && !n.get(0).asText().equals("/")
                    ? n.get(1) : n;
            out.add(resolve(v.toString().replace("\"", "")));
        }
        return out;
    }

    @Test
    void everyResourceOfTheStackThatCanBeChangedIsOneTheEvaluatorKnows() {
        String all = String.join(",", resourceEntries());
        Map<String, String> kinds = Map.of("AWS::SNS::Topic", "sns:", "AWS::SQS::Queue", "sqs:", "AWS::KMS::Key", "kms:",
                "AWS::DynamoDB::Table", "dynamodb:", "AWS::S3::Bucket", "s3:", "AWS::IAM::ManagedPolicy", "policy");
        Set<String> missing = new TreeSet<>();
        resources.fields().forEachRemaining(r -> {
            String type = r.getValue().path("Type").asText();
            JsonNode p = r.getValue().path("Properties");
            String expected = switch (type) {
                case "AWS::IAM::Role" -> "role:" + resolve(p.path("RoleName").asText());
                case "AWS::Logs::LogGroup" -> "logs:" + resolve(p.path("LogGroupName").asText());
                case "AWS::Serverless::Function" -> "lambda:" + STACK + "-" + r.getKey().replace("Function", "").toLowerCase();
                case "AWS::Scheduler::Schedule" -> "scheduler:" + resolve(p.path("Name").asText());
                case "AWS::CloudTrail::Trail" -> "cloudtrail:" + resolve(p.path("TrailName").asText());
                case "AWS::IAM::ManagedPolicy" -> p.has("ManagedPolicyName")
                        ? "policy:" + resolve(p.path("ManagedPolicyName").asText()) : r.getKey();
                default -> kinds.containsKey(type) ? r.getKey() : null;
            };
            if (expected != null && !all.contains(expected)) {
                missing.add(r.getKey() + " (" + expected + ")");
            }
        });
        resources.fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::Events::Rule")) {
                String rule = "events:" + resolve(e.getValue().path("Properties").path("Name").asText());
                if (!all.contains(rule)) {
                    missing.add(e.getKey() + " (" + rule + ")");
                }
            }
        });
        assertThat(missing).isEmpty();
        assertThat(all).contains("scheduler:" + STACK + "-audit");
    }

    @Test
    void theStacksResourcesFitInLambdasFourKilobytesOfEnvironmentWithALongStackName() {
        String longStack = "a".repeat(40);
        int generated = 24; // CloudFormation's suffix of a generated name
        int size = 0;
        for (String entry : writtenEntries()) {
            size += entry.replace(STACK, longStack).replaceAll("\\$\\{[^}]+}", "x".repeat(longStack.length() + generated))
                    .length() + 1;
        }
        // Lambda allows 4 KB for all variables; the others take under 1.5 KB.
        assertThat(size).isLessThan(2500);
    }
}
