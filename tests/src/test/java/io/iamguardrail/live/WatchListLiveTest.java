package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.handlers.EvaluatorHandler;
import io.iamguardrail.pipeline.GuardrailService;
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
import java.util.List;
import java.util.Map;

import static io.iamguardrail.live.LiveEvaluatorTest.LAMBDA_TRUST;
import static io.iamguardrail.live.LiveEvaluatorTest.READ_BUCKET;
import static io.iamguardrail.live.LiveEvaluatorTest.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reversals and tag changes judged from IAM as moto keeps it: the removal made for real with the SDK, then its
 * CloudTrail event fed to the evaluator Lambda, which reads what was removed through the real adapter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchListLiveTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NO_IAM = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"NoIamWrites\","
            + "\"Effect\":\"Deny\",\"Action\":[\"iam:Create*\",\"iam:Put*\",\"iam:Attach*\"],\"Resource\":\"*\"}]}";
    private static final String ABAC = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "\"secretsmanager:GetSecretValue\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
            + "{\"aws:ResourceTag/team\":\"${aws:PrincipalTag/team}\"}}}]}";

    IamClient iam;
    SqsClient sqs;
    String queueUrl;
    EvaluatorHandler handler;

    @BeforeAll
    void setUp() {
        iam = MOTO.iam();
        SnsClient sns = MOTO.sns();
        DynamoDbClient dynamo = MOTO.dynamo();
        String topic = sns.createTopic(b -> b.name("iam-guardrail-alerts")).topicArn();
        sqs = MOTO.sqs();
        queueUrl = MOTO.subscribeQueue(topic, "alerts", Map.of());
        MOTO.createStateTable("guardrail");
        GuardrailService service = EvaluatorEnvironment.service(Map.of("TOPIC_ARN", topic, "TABLE_NAME", "guardrail",
                "GUARDRAIL_ROLE_ARN", "arn:aws:iam::123456789012:role/iam-guardrail-evaluator"), AwsClients.of(iam, sns, dynamo));
        handler = new EvaluatorHandler(service);
    }

    /** The verdict, and the alert published to the topic (read back through the subscribed queue), if any. */
    private record Outcome(String verdict, String ruleIds, String alert) {
    }

    private Outcome invoke(String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        String verdict = JSON.readTree(out.toString(StandardCharsets.UTF_8)).path("verdict").asText();
        if (!verdict.equals("ALERT")) {
            return new Outcome(verdict, "", "");
        }
        for (int round = 0; round < 5; round++) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(1).waitTimeSeconds(1)).messages();
            if (!messages.isEmpty()) {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(messages.get(0).receiptHandle()));
                JsonNode envelope = JSON.readTree(messages.get(0).body());
                return new Outcome(verdict, envelope.path("MessageAttributes").path("ruleIds").path("Value").asText(),
                        envelope.path("Message").asText());
            }
        }
        throw new AssertionError("expected the alert on the topic but the queue stayed empty");
    }

    @Test
    void detachingACustomerDenyPolicyIsReadFromIamAndAlertsAsDenyRemoved() throws Exception {
        String arn = iam.createPolicy(b -> b.policyName("no-iam-writes").policyDocument(NO_IAM)).policy().arn();
        iam.createRole(b -> b.roleName("contractor").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("contractor").policyArn(arn));
        iam.detachRolePolicy(b -> b.roleName("contractor").policyArn(arn));

        Outcome out = invoke(event("DetachRolePolicy", "{\"roleName\":\"contractor\",\"policyArn\":\"" + arn + "\"}"));

        assertThat(out.verdict()).isEqualTo("ALERT");
        assertThat(out.ruleIds()).isEqualTo("[\"DENY_REMOVED\"]");
        assertThat(out.alert()).contains("statement `NoIamWrites` (#1) of `" + arn + "` denies `iam:Create*`, `iam:Put*`, `iam:Attach*`");
    }

    @Test
    void leavingAGroupWhoseInlinePolicyDeniesAlertsAndLeavingAReaderGroupDoesNot() throws Exception {
        iam.createUser(b -> b.userName("erin"));
        iam.createGroup(b -> b.groupName("restricted"));
        iam.putGroupPolicy(b -> b.groupName("restricted").policyName("no-iam").policyDocument(NO_IAM));
        iam.createGroup(b -> b.groupName("readers"));
        iam.putGroupPolicy(b -> b.groupName("readers").policyName("read").policyDocument(READ_BUCKET));

        Outcome restricted = invoke(event("RemoveUserFromGroup", "{\"groupName\":\"restricted\",\"userName\":\"erin\"}"));
        Outcome readers = invoke(event("RemoveUserFromGroup", "{\"groupName\":\"readers\",\"userName\":\"erin\"}"));

        assertThat(restricted.verdict()).isEqualTo("ALERT");
        assertThat(restricted.ruleIds()).isEqualTo("[\"DENY_REMOVED\"]");
        assertThat(restricted.alert()).contains("statement `NoIamWrites` (#1) of `no-iam` of group `restricted`");
        assertThat(readers.verdict()).isEqualTo("NO_ALERT");
    }

    @Test
    void aTeamTagThePoliciesReadAlertsAndACostCenterTagDoesNot() throws Exception {
        iam.createRole(b -> b.roleName("team-app").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.putRolePolicy(b -> b.roleName("team-app").policyName("secrets").policyDocument(ABAC));
        iam.tagRole(b -> b.roleName("team-app").tags(t -> t.key("team").value("payments"), t -> t.key("CostCenter").value("4411")));

        Outcome team = invoke(event("TagRole", "{\"roleName\":\"team-app\",\"tags\":[{\"key\":\"team\",\"value\":\"payments\"}]}"));
        Outcome cost = invoke(event("TagRole", "{\"roleName\":\"team-app\",\"tags\":[{\"key\":\"CostCenter\",\"value\":\"4411\"}]}"));

        assertThat(team.verdict()).isEqualTo("ALERT");
        assertThat(team.ruleIds()).isEqualTo("[\"TAG_CHANGES_ACCESS\"]");
        assertThat(team.alert()).contains("`aws:ResourceTag/team` in statement #1 of inline policy `secrets`");
        assertThat(cost.verdict()).isEqualTo("NO_ALERT");
    }
}
