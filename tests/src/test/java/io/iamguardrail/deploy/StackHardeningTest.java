package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.iamguardrail.deploy.ResourcePolicySimulator.Decision;
import io.iamguardrail.deploy.ResourcePolicySimulator.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topic and queue policies of template.yaml, tried the way someone inside the account would try them: a user or
 * role that gave itself sns:Publish, sns:Subscribe or sqs:SendMessage in its own IAM policy, a look-alike alarm, a
 * topic of their own subscribed to the Slack queue. Decided by {@link ResourcePolicySimulator} on the deployed form.
 */
class StackHardeningTest {

    static final String ACCOUNT = "111122223333";
    static final String STACK = "guardrail";
    static final String ALERTS = "arn:aws:sns:us-east-1:" + ACCOUNT + ":" + STACK + "-AlertTopic-1X2Y3Z";
    static final String OPERATIONS = "arn:aws:sns:us-east-1:" + ACCOUNT + ":" + STACK + "-OperationsTopic-4A5B6C";
    static final String EVALUATOR = "arn:aws:iam::" + ACCOUNT + ":role/" + STACK + "-evaluator";
    static final String AUDIT = "arn:aws:iam::" + ACCOUNT + ":role/" + STACK + "-audit";
    static final String DEVELOPER = "arn:aws:iam::" + ACCOUNT + ":role/developer";
    static final String STACK_KEY = "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/0b5e1c2d-1111-4222-8333-944455556666";
    static final String SSO_ADMIN = "arn:aws:iam::" + ACCOUNT
            + ":role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_SecurityAdmin_0123456789abcdef";
    static final Map<String, List<String>> VIA_CLOUDFORMATION = Map.of("aws:CalledVia", List.of("cloudformation.amazonaws.com"));

    static JsonNode resources;
    static JsonNode parameters;

    @BeforeAll
    static void read() throws IOException {
        JsonNode template = DeployTemplate.template();
        resources = template.path("Resources");
        parameters = template.path("Parameters");
    }

    /** The policy document of resource {@code name}, deployed with these admins (empty: the default). */
    static ResourcePolicySimulator policy(String name, String... admins) {
        Map<String, JsonNode> refs = new HashMap<>();
        refs.put("AWS::Partition", TextNode.valueOf("aws"));
        refs.put("AWS::Region", TextNode.valueOf("us-east-1"));
        refs.put("AWS::AccountId", TextNode.valueOf(ACCOUNT));
        refs.put("AWS::StackName", TextNode.valueOf(STACK));
        refs.put("EvaluatorRole.Arn", TextNode.valueOf(EVALUATOR));
        refs.put("AuditRole.Arn", TextNode.valueOf(AUDIT));
        refs.put("AlertTopic", TextNode.valueOf(ALERTS));
        refs.put("OperationsTopic", TextNode.valueOf(OPERATIONS));
        refs.put("SlackQueue.Arn", TextNode.valueOf("arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + STACK + "-SlackQueue-9Q"));
        refs.put("AlertKey.Arn", TextNode.valueOf(STACK_KEY));
        refs.put("BackupBucket.Arn", TextNode.valueOf("arn:aws:s3:::" + STACK + "-backupbucket-5b"));
        refs.put("UndeliveredEventQueue.Arn", TextNode.valueOf("arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + STACK + "-Undelivered-8U"));
        for (String alarm : alarms()) {
            refs.put(alarm + ".Arn", TextNode.valueOf(alarmArn(alarm)));
        }
        var list = JsonNodeFactory.instance.arrayNode();
        for (String a : admins) {
            list.add(a);
        }
        refs.put("AdminPrincipalArns", list.isEmpty() ? JsonNodeFactory.instance.arrayNode().add("") : list);
        Map<String, Boolean> conditions = Map.of("HasAdmins", admins.length > 0, "HasSlack", true, "HasEmail", true,
                "Remediate", false, "MakeTrail", false, "SecretHasOwnKey", false);
        JsonNode properties = resources.path(name).path("Properties");
        JsonNode document = properties.has("PolicyDocument") ? properties.path("PolicyDocument")
                : properties.path("ResourcePolicy").path("PolicyDocument");
        return new ResourcePolicySimulator(document, refs, conditions);
    }

    static List<String> alarms() {
        List<String> names = new ArrayList<>();
        resources.fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                names.add(e.getKey());
            }
        });
        return names;
    }

    /** CloudFormation names an alarm without AlarmName "stack-LogicalId-RANDOM". */
    static String alarmArn(String logicalId) {
        return "arn:aws:cloudwatch:us-east-1:" + ACCOUNT + ":alarm:" + STACK + "-" + logicalId + "-7RANDOM";
    }

    static Map<String, List<String>> fromAlarm(String arn, String account) {
        return Map.of("aws:SourceArn", List.of(arn), "aws:SourceAccount", List.of(account));
    }

    @Test
    void aPrincipalThatAllowsItselfSnsPublishStillCannotPostAFakeAlert() {
        ResourcePolicySimulator alerts = policy("AlertTopicPolicy");

        assertThat(alerts.decide(Request.iam(DEVELOPER, "sns:Publish", Map.of()))).isEqualTo(Decision.DENIED);
        // A role named like the stack's own is not one of them: the Deny names exact ARNs.
        assertThat(alerts.decide(Request.iam(EVALUATOR + "-x", "SNS:Publish", Map.of()))).isEqualTo(Decision.DENIED);
        assertThat(alerts.decide(Request.iam(EVALUATOR, "sns:Publish", Map.of()))).isEqualTo(Decision.ALLOWED);
        assertThat(alerts.decide(Request.iam(AUDIT, "sns:Publish", Map.of()))).isEqualTo(Decision.ALLOWED);
        // Alarms have no business on the alert topic: its filtered subscriptions would drop them anyway.
        assertThat(alerts.decide(Request.service("cloudwatch.amazonaws.com", "sns:Publish",
                fromAlarm(alarmArn("EvaluatorErrorsAlarm"), ACCOUNT)))).isEqualTo(Decision.DENIED);
    }

    @Test
    void onlyThisStacksAlarmsAndTheEvaluatorPostToTheOperationsTopic() {
        ResourcePolicySimulator ops = policy("OperationsTopicPolicy");

        for (String alarm : alarms()) {
            assertThat(ops.decide(Request.service("cloudwatch.amazonaws.com", "sns:Publish", fromAlarm(alarmArn(alarm), ACCOUNT))))
                    .as(alarm + " is listed in OperationsTopicPolicy, or its notifications are refused").isEqualTo(Decision.ALLOWED);
        }
        String lookAlike = "arn:aws:cloudwatch:us-east-1:" + ACCOUNT + ":alarm:" + STACK + "-EvaluatorErrorsAlarm-FAKE";
        assertThat(ops.decide(Request.service("cloudwatch.amazonaws.com", "sns:Publish", fromAlarm(lookAlike, ACCOUNT))))
                .as("an all-clear from an alarm someone else created").isEqualTo(Decision.DENIED);
        assertThat(ops.decide(Request.service("cloudwatch.amazonaws.com", "sns:Publish",
                fromAlarm(alarmArn("EvaluatorErrorsAlarm"), "444455556666")))).isEqualTo(Decision.DENIED);
        assertThat(ops.decide(Request.iam(DEVELOPER, "sns:Publish", Map.of()))).isEqualTo(Decision.DENIED);
        assertThat(ops.decide(Request.iam(AUDIT, "sns:Publish", Map.of()))).isEqualTo(Decision.DENIED);
        assertThat(ops.decide(Request.iam(EVALUATOR, "sns:Publish", Map.of()))).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void withNoAdminsNobodyButACloudFormationDeploymentSubscribesOrRewritesTheTopicPolicy() {
        for (String name : List.of("AlertTopicPolicy", "OperationsTopicPolicy")) {
            ResourcePolicySimulator p = policy(name);
            for (String action : List.of("sns:Subscribe", "sns:SetTopicAttributes", "sns:AddPermission", "sns:DeleteTopic")) {
                assertThat(p.decide(Request.iam(DEVELOPER, action, Map.of()))).as(name + " " + action).isEqualTo(Decision.DENIED);
                assertThat(p.decide(Request.iam(SSO_ADMIN, action, Map.of()))).as(name + " " + action).isEqualTo(Decision.DENIED);
                assertThat(p.decide(Request.iam(DEVELOPER, action, VIA_CLOUDFORMATION))).as(name + " " + action + " in a stack update")
                        .isEqualTo(Decision.ALLOWED);
            }
            // Deployed with the default: no empty ARN in the policy, which SNS would refuse or read as a value.
            assertThat(ResourcePolicySimulator.resolve(resources.path(name).path("Properties").path("PolicyDocument"),
                    Map.of(), Map.of("HasAdmins", false)).toString()).doesNotContain("AdminPrincipalArns");
        }
        assertThat(parameters.path("AdminPrincipalArns").path("Default").asText()).isEmpty();
    }

    @Test
    void namedAdminsSubscribeAndEveryoneElseIsStillRefused() {
        String admins = "arn:aws:iam::" + ACCOUNT + ":role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_SecurityAdmin_*";
        for (String name : List.of("AlertTopicPolicy", "OperationsTopicPolicy")) {
            ResourcePolicySimulator p = policy(name, admins);
            assertThat(p.decide(Request.iam(SSO_ADMIN, "sns:Subscribe", Map.of()))).as(name).isEqualTo(Decision.ALLOWED);
            assertThat(p.decide(Request.iam(DEVELOPER, "sns:Subscribe", Map.of()))).as(name).isEqualTo(Decision.DENIED);
            assertThat(p.decide(Request.iam(EVALUATOR, "sns:Subscribe", Map.of()))).as(name).isEqualTo(Decision.DENIED);
            assertThat(p.decide(Request.iam(SSO_ADMIN, "sns:Publish", Map.of()))).as(name + ": admins read, they do not post")
                    .isEqualTo(Decision.DENIED);
        }
    }

    @Test
    void nothingButTheAlertTopicPutsMessagesInTheSlackQueue() {
        ResourcePolicySimulator slack = policy("SlackQueuePolicy");
        String ownTopic = "arn:aws:sns:us-east-1:" + ACCOUNT + ":attacker-topic";

        assertThat(slack.decide(Request.iam(DEVELOPER, "sqs:SendMessage", Map.of("aws:SecureTransport", List.of("true")))))
                .isEqualTo(Decision.DENIED);
        assertThat(slack.decide(Request.iam(EVALUATOR, "sqs:SendMessage", Map.of("aws:SecureTransport", List.of("true")))))
                .isEqualTo(Decision.DENIED);
        assertThat(slack.decide(Request.service("sns.amazonaws.com", "sqs:SendMessage",
                Map.of("aws:SourceArn", List.of(ownTopic), "aws:SecureTransport", List.of("true"))))).isEqualTo(Decision.DENIED);
        assertThat(slack.decide(Request.service("sns.amazonaws.com", "sqs:SendMessage",
                Map.of("aws:SourceArn", List.of(ALERTS), "aws:SecureTransport", List.of("true"))))).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void nothingButTheStacksOwnRulesPutEventsInTheEvaluatorsQueue() {
        // Every rule whose target is the queue, the hub's included (their `!If [IsHub, ...]` as their true branch).
        Set<String> feeding = new TreeSet<>();
        resources.fields().forEachRemaining(e -> {
            JsonNode p = e.getValue().path("Properties");
            if (e.getValue().path("Type").asText().equals("AWS::Events::Rule")
                    && p.path("Targets").get(0).path("Arn").asText().equals("EvaluatorQueue.Arn")) {
                feeding.add(e.getKey() + ".Arn");
            }
        });
        JsonNode statements = resources.path("EvaluatorQueuePolicy").path("Properties").path("PolicyDocument")
                .path("Statement");
        Map<String, Set<String>> sendersBySid = new TreeMap<>();
        for (JsonNode st : statements) {
            JsonNode arns = st.path("Condition").path(st.path("Effect").asText().equals("Allow") ? "ArnEquals"
                    : "ArnNotEquals").path("aws:SourceArn");
            Set<String> named = new TreeSet<>();
            arns.forEach(a -> named.add(a.isArray() ? a.get(1).asText() : a.asText()));
            if (!named.isEmpty()) {
                sendersBySid.put(st.path("Sid").asText(), named);
            }
        }

        assertThat(feeding).hasSizeGreaterThanOrEqualTo(10);
        // The Allow names every rule and nothing else; the Deny refuses every other sender, an IAM principal too
        // (it carries no aws:SourceArn, and ArnNotEquals on a missing key denies).
        assertThat(sendersBySid).containsOnlyKeys("OnlyTheStacksRules", "OnlyTheStacksRulesSend")
                .allSatisfy((sid, named) -> assertThat(named).as(sid).isEqualTo(feeding));
        JsonNode deny = statements.get(1);
        assertThat(deny.path("Effect").asText()).isEqualTo("Deny");
        assertThat(deny.path("Principal").asText()).isEqualTo("*");
        assertThat(deny.path("Action").asText()).isEqualTo("sqs:SendMessage");
    }

    @Test
    void everySubscriptionDeadLettersIntoAQueueBothTopicsMayWriteTo() {
        ResourcePolicySimulator dlq = policy("UndeliveredEventQueuePolicy");
        List<String> subscriptions = new ArrayList<>();
        resources.fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::SNS::Subscription")) {
                subscriptions.add(e.getKey());
                assertThat(e.getValue().path("Properties").path("RedrivePolicy").path("deadLetterTargetArn").asText())
                        .as(e.getKey()).isEqualTo("UndeliveredEventQueue.Arn");
            }
        });
        assertThat(subscriptions).contains("AlertEmailSubscription", "OperationsEmailSubscription", "SlackSubscription");
        for (String topic : List.of(ALERTS, OPERATIONS)) {
            assertThat(dlq.decide(Request.service("sns.amazonaws.com", "sqs:SendMessage",
                    Map.of("aws:SourceArn", List.of(topic), "aws:SecureTransport", List.of("true"))))).as(topic)
                    .isEqualTo(Decision.ALLOWED);
        }
    }

    @Test
    void failedDeliveriesOfEitherTopicRaiseAnAlarm() {
        List<String> watched = new ArrayList<>();
        for (JsonNode r : resources) {
            JsonNode p = r.path("Properties");
            if (p.path("MetricName").asText().equals("NumberOfNotificationsFailed")) {
                assertThat(p.path("Namespace").asText()).isEqualTo("AWS/SNS");
                assertThat(p.path("AlarmActions").toString()).contains("OperationsTopic");
                watched.add(p.path("Dimensions").get(0).path("Value").asText());
            }
        }
        assertThat(watched).containsExactlyInAnyOrder("AlertTopic.TopicName", "OperationsTopic.TopicName");
    }

    @Test
    void theOperationsTopicHasAKeyOfItsOwnThatAlarmsMayUse() {
        JsonNode ops = resources.path("OperationsTopic").path("Properties");
        assertThat(ops.path("KmsMasterKeyId").asText()).isEqualTo("OperationsKey")
                .isNotEqualTo(resources.path("AlertTopic").path("Properties").path("KmsMasterKeyId").asText());
        JsonNode key = resources.path("OperationsKey").path("Properties");
        assertThat(key.path("EnableKeyRotation").asBoolean()).isTrue();
        assertThat(key.path("KeyPolicy").path("Statement").toString()).contains("cloudwatch.amazonaws.com", "aws:SourceAccount");
        assertThat(resources.path("AlertKey").path("Properties").path("KeyPolicy").toString())
                .as("no alarm publishes through the alert key any more").doesNotContain("cloudwatch.amazonaws.com");
    }

    @Test
    void onlyTheAlarmWhoseMetricIsAlwaysReportedTreatsMissingDataAsBreaching() {
        for (String alarm : alarms()) {
            JsonNode p = resources.path(alarm).path("Properties");
            assertThat(p.path("TreatMissingData").asText()).as(alarm + " says what missing data means").isNotEmpty();
        }
        // The notifier polls the Slack queue continuously: silence there means the queue or its reader is gone.
        assertThat(resources.path("SlackQueueStalledAlarm").path("Properties").path("TreatMissingData").asText())
                .isEqualTo("breaching");
        // Failure counters have data only when something ran; silence is the good case.
        for (String alarm : List.of("EvaluatorErrorsAlarm", "AlertDeliveryFailedAlarm", "FailedEventsAlarm")) {
            assertThat(resources.path(alarm).path("Properties").path("TreatMissingData").asText()).as(alarm)
                    .isEqualTo("notBreaching");
        }
    }

    @Test
    void everyFunctionLogsToAGroupThatKeepsLogsForTheRetentionParameterAndItsRoleMayWriteThere() {
        assertThat(parameters.path("LogRetentionDays").path("Default").asInt()).isEqualTo(365);
        List<String> functions = new ArrayList<>();
        resources.fields().forEachRemaining(f -> {
            if (!f.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                return;
            }
            functions.add(f.getKey());
            JsonNode props = f.getValue().path("Properties");
            String group = props.path("LoggingConfig").path("LogGroup").asText();
            JsonNode logGroup = resources.path(group);
            assertThat(logGroup.path("Type").asText()).as(f.getKey() + " logs to a group of the stack").isEqualTo("AWS::Logs::LogGroup");
            assertThat(logGroup.path("Properties").path("RetentionInDays").asText()).isEqualTo("LogRetentionDays");
            assertThat(logGroup.path("Condition").asText()).as(f.getKey() + " and its log group exist together")
                    .isEqualTo(f.getValue().path("Condition").asText());
            // The role's own-logs grant must cover the group's name, or the function logs nothing.
            String name = logGroup.path("Properties").path("LogGroupName").asText().replace("${AWS::StackName}", STACK);
            String role = props.path("Role").asText().replace(".Arn", "");
            String policy = resources.path(role).path("Properties").path("ManagedPolicyArns").get(0).asText();
            JsonNode ownLogs = resources.path(policy).path("Properties").path("PolicyDocument").path("Statement").get(0);
            assertThat(ownLogs.path("Sid").asText()).isEqualTo("OwnLogs");
            String granted = ownLogs.path("Resource").asText().replaceAll("^.*:log-group:", "").replace("${AWS::StackName}", STACK);
            assertThat(name + ":log-stream:2026/12/07/[$LATEST]abc").as(f.getKey()).matches(granted.replace("*", ".*"));
        });
        assertThat(functions).contains("EvaluatorFunction", "AuditFunction", "NotifierFunction");
    }

    @Test
    void theEvaluatorHasConcurrencyNoOtherFunctionCanTake() {
        assertThat(resources.path("EvaluatorFunction").path("Properties").path("ReservedConcurrentExecutions").asText())
                .isEqualTo("EvaluatorReservedConcurrency");
        assertThat(parameters.path("EvaluatorReservedConcurrency").path("MinValue").asInt())
                .as("0 would switch the evaluator off").isPositive();
    }

    @Test
    void theStateTableRefusesADeleteCallAndRestoresToAnyPointInTime() {
        JsonNode table = resources.path("StateTable").path("Properties");
        assertThat(table.path("DeletionProtectionEnabled").asBoolean()).isTrue();
        assertThat(table.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean()).isTrue();
    }

    @Test
    void nobodyButTheEvaluatorWritesTheStateTheGuardrailDecidesBy() {
        // An insider with DynamoDB writes would close a deferred event, spend the rate budget or delete a snapshot.
        ResourcePolicySimulator table = policy("StateTable");
        for (String write : List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem", "dynamodb:PartiQLUpdate")) {
            assertThat(table.decide(Request.iam("arn:aws:iam::" + ACCOUNT + ":role/PowerUser", write, Map.of())))
                    .as(write).isEqualTo(Decision.DENIED);
            assertThat(table.decide(Request.iam(AUDIT, write, Map.of()))).as(write).isEqualTo(Decision.DENIED);
            assertThat(table.decide(Request.iam(EVALUATOR, write, Map.of()))).as(write).isNotEqualTo(Decision.DENIED);
        }
        assertThat(table.decide(Request.iam(AUDIT, "dynamodb:BatchGetItem", Map.of()))).isNotEqualTo(Decision.DENIED);
    }

    @Test
    void backupsAreEncryptedWithTheStackKeyWhichEveryWriterOfTheBucketMayUse() {
        JsonNode sse = resources.path("BackupBucket").path("Properties").path("BucketEncryption")
                .path("ServerSideEncryptionConfiguration").get(0).path("ServerSideEncryptionByDefault");
        assertThat(sse.path("SSEAlgorithm").asText()).isEqualTo("aws:kms");
        assertThat(sse.path("KMSMasterKeyID").asText()).isEqualTo("AlertKey.Arn");
        // Without kms:GenerateDataKey on the key, a backup (and so the remediation after it) or a report would fail.
        for (String writer : List.of("EvaluatorPolicy", "AuditPolicy")) {
            boolean mayEncrypt = false;
            for (JsonNode s : resources.path(writer).path("Properties").path("PolicyDocument").path("Statement")) {
                mayEncrypt |= s.path("Effect").asText().equals("Allow") && s.path("Resource").asText().equals("AlertKey.Arn")
                        && s.path("Action").toString().contains("kms:GenerateDataKey");
            }
            assertThat(mayEncrypt).as(writer + " may encrypt with the bucket's key").isTrue();
        }
    }

    @Test
    void aBackupEncryptedWithAnythingButTheStackKeyIsRefused() {
        ResourcePolicySimulator bucket = policy("BackupBucketPolicy");
        Map<String, List<String>> tls = Map.of("aws:SecureTransport", List.of("true"));
        String backup = "arn:aws:s3:::" + STACK + "-backupbucket-5b/backups/evt-1/1.json";

        assertThat(bucket.decide(Request.iam(EVALUATOR, "s3:PutObject", tls).on(backup))).as("default encryption: the stack key")
                .isEqualTo(Decision.ALLOWED);
        assertThat(bucket.decide(Request.iam(EVALUATOR, "s3:PutObject", Map.of("aws:SecureTransport", List.of("true"),
                "s3:x-amz-server-side-encryption", List.of("aws:kms"),
                "s3:x-amz-server-side-encryption-aws-kms-key-id", List.of(STACK_KEY))).on(backup))).isEqualTo(Decision.ALLOWED);
        assertThat(bucket.decide(Request.iam(EVALUATOR, "s3:PutObject", Map.of("aws:SecureTransport", List.of("true"),
                "s3:x-amz-server-side-encryption", List.of("AES256"))).on(backup))).isEqualTo(Decision.DENIED);
        assertThat(bucket.decide(Request.iam(EVALUATOR, "s3:PutObject", Map.of("aws:SecureTransport", List.of("true"),
                "s3:x-amz-server-side-encryption", List.of("aws:kms"),
                "s3:x-amz-server-side-encryption-aws-kms-key-id",
                List.of("arn:aws:kms:us-east-1:444455556666:key/attacker"))).on(backup))).as("a key only the writer holds")
                .isEqualTo(Decision.DENIED);
    }
}
