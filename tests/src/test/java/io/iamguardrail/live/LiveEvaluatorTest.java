package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.aws.LiveIamState;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.handlers.EvaluatorHandler;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.state.PrincipalRef;
import io.iamguardrail.wiring.AwsClients;
import io.iamguardrail.wiring.EvaluatorEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The evaluator Lambda against moto: IAM state created with the SDK, the CloudTrail event fed to the handler, the
 * SNS message read back from an SQS queue subscribed to the topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveEvaluatorTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    static final String LAMBDA_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String READ_BUCKET = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::acme-reports/*\"}]}";
    static final String PASS_ANY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    IamClient iam;
    SqsClient sqs;
    String queueUrl;
    EvaluatorHandler handler;

    @BeforeAll
    void setUp() {
        iam = MOTO.iam();
        SnsClient sns = MOTO.sns();
        sqs = MOTO.sqs();
        DynamoDbClient dynamo = MOTO.dynamo();
        String topic = sns.createTopic(b -> b.name("iam-guardrail-alerts")).topicArn();
        queueUrl = MOTO.subscribeQueue(topic, "alerts", java.util.Map.of());
        MOTO.createStateTable("guardrail");
        GuardrailService service = EvaluatorEnvironment.service(Map.of("TOPIC_ARN", topic, "TABLE_NAME", "guardrail",
                "GUARDRAIL_ROLE_ARN", "arn:aws:iam::123456789012:role/iam-guardrail-evaluator"), AwsClients.of(iam, sns, dynamo));
        handler = new EvaluatorHandler(service);
    }

    private String invoke(String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Every SNS notification waiting in the queue: the SNS envelope as SQS receives it. */
    private List<JsonNode> drain() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            for (Message m : messages) {
                out.add(JSON.readTree(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
            if (messages.isEmpty() && !out.isEmpty()) {
                break;
            }
        }
        return out;
    }

    /** A fresh event (time now, as EventBridge delivers one): remediation acts only on recent events. */
    static String event(String eventName, String requestParameters) {
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        return """
                {"version":"0","id":"%s","detail-type":"AWS API Call via CloudTrail","source":"aws.iam",
                 "account":"123456789012","time":"%s","region":"us-east-1","resources":[],
                 "detail":{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE",
                   "arn":"arn:aws:iam::123456789012:user/alice","accountId":"123456789012","userName":"alice"},
                   "eventTime":"%s","eventSource":"iam.amazonaws.com","eventName":"%s",
                   "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0",
                   "requestParameters":%s,"responseElements":null,"requestID":"%s","eventID":"%s",
                   "readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123456789012"}}
                """.formatted(UUID.randomUUID(), now, now, eventName, requestParameters, UUID.randomUUID(), UUID.randomUUID());
    }

    static String quoted(String document) {
        return "\"" + document.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void attachingAdministratorAccessPublishesOneCriticalAlertWithFilterAttributes() throws Exception {
        iam.createRole(b -> b.roleName("deploy").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("deploy").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        String event = event("AttachRolePolicy", "{\"roleName\":\"deploy\",\"policyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}");
        assertThat(invoke(event)).contains("\"verdict\":\"ALERT\"");
        assertThat(invoke(event)).as("redelivery").contains("\"verdict\":\"SKIPPED\"");
        List<JsonNode> notifications = drain();
        assertThat(notifications).hasSize(1);
        JsonNode envelope = notifications.get(0);
        assertThat(envelope.get("Subject").asText()).startsWith("[CRITICAL] alice AttachRolePolicy on role deploy");
        assertThat(envelope.get("MessageAttributes").get("severity").get("Value").asText()).isEqualTo("CRITICAL");
        assertThat(envelope.get("MessageAttributes").get("eventName").get("Value").asText()).isEqualTo("AttachRolePolicy");
        assertThat(envelope.get("MessageAttributes").get("ruleIds").get("Value").asText()).contains("ADMIN_ACCESS");
        JsonNode alert = JSON.readTree(envelope.get("Message").asText());
        assertThat(alert.get("schema").asText()).isEqualTo("iam-guardrail/alert/1");
        assertThat(alert.get("actor").get("arn").asText()).isEqualTo("arn:aws:iam::123456789012:user/alice");
        List<String> rules = new ArrayList<>();
        alert.get("findings").forEach(f -> rules.add(f.get("ruleId").asText()));
        assertThat(rules).contains("ADMIN_ACCESS");
        assertThat(alert.get("notes")).isEmpty();
    }

    @Test
    void aFilterPolicyOnOneRuleIdMatchesAlertsWithSeveralRules() throws Exception {
        SnsClient sns = MOTO.sns();
        String topic = sns.createTopic(b -> b.name("filtered")).topicArn();
        String filtered = sqs.createQueue(b -> b.queueName("admin-only")).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(filtered).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn)
                .attributes(Map.of("FilterPolicy", "{\"ruleIds\": [\"ADMIN_ACCESS\"]}")));
        GuardrailService service = EvaluatorEnvironment.service(Map.of("TOPIC_ARN", topic), AwsClients.of(iam, sns, MOTO.dynamo()));
        iam.createUser(b -> b.userName("ops-user"));
        String event = event("AttachUserPolicy", "{\"userName\":\"ops-user\",\"policyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}");
        GuardrailService.Outcome o = service.process(event.getBytes(StandardCharsets.UTF_8), "filtered");
        assertThat(o.alert().orElseThrow().attributes().get("ruleIds")).contains("ADMIN_ACCESS", "USER_DIRECT_POLICY");
        List<Message> got = sqs.receiveMessage(b -> b.queueUrl(filtered).maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
        assertThat(got).hasSize(1);
    }

    @Test
    void aDeletedEntityFallsBackToTheEventCopyAndSaysSo() throws Exception {
        String event = event("PutRolePolicy", "{\"roleName\":\"already-deleted\",\"policyName\":\"pass\",\"policyDocument\":"
                + quoted(PASS_ANY) + "}");
        assertThat(invoke(event)).contains("\"verdict\":\"ALERT\"");
        JsonNode alert = JSON.readTree(drain().get(0).get("Message").asText());
        assertThat(alert.get("notes").get(0).asText()).startsWith("live state of role already-deleted could not be read");
        List<String> rules = new ArrayList<>();
        alert.get("findings").forEach(f -> rules.add(f.get("ruleId").asText()));
        assertThat(rules).contains("PASSROLE_UNRESTRICTED");
    }

    @Test
    void aCustomerPolicyAttachedToThreeRolesReportsAllThree() throws Exception {
        String arn = iam.createPolicy(b -> b.policyName("shared").policyDocument(READ_BUCKET)).policy().arn();
        for (String role : List.of("svc-a", "svc-b", "svc-c")) {
            iam.createRole(b -> b.roleName(role).assumeRolePolicyDocument(LAMBDA_TRUST));
            iam.attachRolePolicy(b -> b.roleName(role).policyArn(arn));
        }
        iam.createPolicyVersion(b -> b.policyArn(arn).policyDocument(PASS_ANY).setAsDefault(true));
        String event = event("CreatePolicyVersion", "{\"policyArn\":\"" + arn + "\",\"setAsDefault\":true,\"policyDocument\":"
                + quoted(PASS_ANY) + "}").replace("\"responseElements\":null",
                "\"responseElements\":{\"policyVersion\":{\"versionId\":\"v2\",\"isDefaultVersion\":true,\"createDate\":\"Nov 28, 2026 3:00:00 PM\"}}");
        assertThat(invoke(event)).contains("\"verdict\":\"ALERT\"");
        JsonNode alert = JSON.readTree(drain().get(0).get("Message").asText());
        String notes = alert.get("notes").toString();
        assertThat(notes).contains("role svc-a", "role svc-b", "role svc-c");
        assertThat(alert.get("newAccess").toString()).contains("`iam:PassRole` newly allowed (on all resources)");
    }

    @Test
    void aGroupPolicyThatLetsItsMembersAssumeAnAdminRoleReportsThePathOfEachMember() throws Exception {
        String trustsAccount = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}";
        String assumeOps = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                + "\"Resource\":\"arn:aws:iam::123456789012:role/group-ops-admin\"}]}";
        iam.createRole(b -> b.roleName("group-ops-admin").assumeRolePolicyDocument(trustsAccount));
        iam.attachRolePolicy(b -> b.roleName("group-ops-admin").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        iam.createGroup(b -> b.groupName("platform"));
        for (String user : List.of("dana", "eve")) {
            iam.createUser(b -> b.userName(user));
            iam.addUserToGroup(b -> b.groupName("platform").userName(user));
        }
        iam.putGroupPolicy(b -> b.groupName("platform").policyName("operate").policyDocument(assumeOps));
        drain();

        invoke(event("PutGroupPolicy", "{\"groupName\":\"platform\",\"policyName\":\"operate\",\"policyDocument\":"
                + quoted(assumeOps) + "}"));

        JsonNode alert = JSON.readTree(drain().get(0).get("Message").asText());
        List<String> paths = new ArrayList<>();
        alert.get("findings").forEach(f -> {
            if (f.get("ruleId").asText().equals("PRIVILEGE_PATH")) {
                paths.add(f.get("message").asText());
            }
        });
        assertThat(paths).hasSize(2);
        assertThat(paths).anyMatch(m -> m.startsWith("`arn:aws:iam::123456789012:user/dana` reaches administrator access"))
                .anyMatch(m -> m.startsWith("`arn:aws:iam::123456789012:user/eve` reaches administrator access"));
    }

    @Test
    void documentsWithPlusAndPercentSurviveUrlDecodingExactly() throws Exception {
        String doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::acme/*\",\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"a+b%20c/*\"]}}}]}";
        iam.createRole(b -> b.roleName("encoded").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.putRolePolicy(b -> b.roleName("encoded").policyName("p").policyDocument(doc));
        LiveIamState state = new LiveIamState(iam, ManagedPolicySnapshot.bundled());
        String read = state.principal(new PrincipalRef(PrincipalRef.Kind.ROLE, "encoded")).inlinePolicies().get("p");
        assertThat(JSON.readTree(read)).isEqualTo(JSON.readTree(doc));
        assertThat(read).contains("a+b%20c/*");
    }

    @Test
    void replayLiveReadsIamAndPublishesThroughTheStandardSdkConfiguration(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        iam.createRole(b -> b.roleName("replayed").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.putRolePolicy(b -> b.roleName("replayed").policyName("pass").policyDocument(PASS_ANY));
        // The change the event reports, as IAM shows it once made.
        iam.attachRolePolicy(b -> b.roleName("replayed").policyArn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));
        String topic = MOTO.sns().createTopic(b -> b.name("replay-live")).topicArn();
        java.nio.file.Path file = dir.resolve("attach.json");
        java.nio.file.Files.writeString(file, event("AttachRolePolicy",
                "{\"roleName\":\"replayed\",\"policyArn\":\"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\"}"));
        ProcessBuilder pb = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", java.nio.file.Path.of(System.getProperty("guardrail.jar")).toAbsolutePath().toString(),
                "replay", "--live", "--format", "json", "--topic-arn", topic, file.toString()).redirectErrorStream(false);
        pb.environment().put("AWS_ENDPOINT_URL", MOTO.endpoint().toString());
        pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        pb.environment().put("AWS_REGION", "us-east-1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out + err).isEqualTo(1);
        JsonNode e = JSON.readTree(out).get("events").get(0);
        assertThat(e.get("verdict").asText()).isEqualTo("ALERT");
        List<String> rules = new ArrayList<>();
        e.get("findings").forEach(f -> rules.add(f.get("ruleId").asText()));
        // The live role already has an inline PassRole policy: the attachment is judged with it.
        assertThat(rules).contains("PASSROLE_UNRESTRICTED", "DATA_EXFILTRATION");
        assertThat(e.get("notes")).isEmpty();
        assertThat(e.get("alert").get("published").asText()).isNotEqualTo("no").doesNotStartWith("not published");
    }

    @Test
    void aMalformedEventFailsTheInvocationSoItReachesTheDeadLetterQueue() {
        assertThatThrownBy(() -> invoke("{\"detail\": {\"eventName\": ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed event: ");
    }
}
