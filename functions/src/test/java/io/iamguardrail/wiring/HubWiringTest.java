package io.iamguardrail.wiring;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.organization.MemberRole;
import io.iamguardrail.organization.MemberStack;
import io.iamguardrail.organization.Organization;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.tamper.OwnStack;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a member account the guardrail is its member role: a write made with that role which the guardrail did not
 * record is its misuse, and a change to that role is a change to the guardrail. The hub's own roles mean nothing there.
 */
class HubWiringTest {

    static final String A = "111122223333";
    static final String MEMBER_ROLE = "arn:aws:iam::" + A + ":role/iam-guardrail-member";
    static final String HUB_EVALUATOR = "arn:aws:iam::123456789012:role/iam-guardrail-evaluator";
    static final String ANYONE = "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
            + "\\\"Principal\\\":{\\\"AWS\\\":\\\"*\\\"},\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}";

    final HubWiring.Hub hub = new HubWiring.Hub(Organization.of(List.of()), null,
            new MemberRole("iam-guardrail-member", Optional.of("51fd4e60-d3b8-11ef-9c5a-0affd0d8b4c1")), "aws", null);
    final EvaluatorSetup hubSetup = new EvaluatorSetup(GuardrailConfig.defaults(), Optional.of("arn:aws:sns:us-east-1:"
            + "123456789012:alerts"), Optional.empty(), Optional.empty(), Optional.of(HUB_EVALUATOR),
            Optional.of(HUB_EVALUATOR), OwnStack.NONE, Optional.empty(), Optional.empty(), Optional.empty(), false,
            EvaluatorSetup.Scope.FUNCTION);

    /** An UpdateAssumeRolePolicy in A by a session of {@code roleArn}, as CloudTrail records it. */
    static String event(String roleArn, String target) {
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        return """
                {"version":"0","id":"7a1c","detail-type":"AWS API Call via CloudTrail","source":"aws.iam",
                 "account":"%1$s","time":"2026-12-07T15:00:00Z","region":"us-east-1","resources":[],
                 "detail":{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAMEMBER:s",
                   "arn":"arn:aws:sts::%1$s:assumed-role/%2$s/iam-guardrail-event-1","accountId":"%1$s",
                   "sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAMEMBER","arn":"%3$s",
                     "accountId":"%1$s","userName":"%2$s"},"attributes":{"mfaAuthenticated":"false"}}},
                   "eventTime":"2026-12-07T15:00:00Z","eventSource":"iam.amazonaws.com",
                   "eventName":"UpdateAssumeRolePolicy","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7",
                   "userAgent":"aws-sdk-java/2.29","requestParameters":{"roleName":"%4$s","policyDocument":"%5$s"},
                   "responseElements":null,"requestID":"r-1","eventID":"e-1","readOnly":false,
                   "eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"%1$s"}}
                """.formatted(A, roleName, roleArn, target, ANYONE);
    }

    Decision judgeInA(String event) {
        EvaluatorSetup member = HubWiring.memberSetup(hubSetup, hub, A);
        GuardrailService service = EvaluatorWiring.offline(member, alert -> "m-1", DecisionLog.silent(), Optional.empty());
        return service.process(event.getBytes(StandardCharsets.UTF_8), "test").decision();
    }

    @Test
    void aWriteWithTheMemberRoleThatTheGuardrailDidNotRecordIsItsMisuse() {
        Decision d = judgeInA(event(MEMBER_ROLE, "prod-admin"));

        assertThat(d.findings()).extracting(Finding::ruleId).contains("GUARDRAIL_ROLE_MISUSE");
        assertThat(HubWiring.memberSetup(hubSetup, hub, A).guardrailRoleArn()).contains(MEMBER_ROLE);
    }

    @Test
    void aChangeToTheMemberRoleIsAChangeToTheGuardrail() {
        Decision d = judgeInA(event("arn:aws:iam::" + A + ":role/Admin", "iam-guardrail-member"));

        assertThat(d.findings()).extracting(Finding::ruleId).contains("GUARDRAIL_TAMPERED");
    }

    @Test
    void theHubsOwnRoleIsNotTheGuardrailInAMember() {
        Decision d = judgeInA(event("arn:aws:iam::" + A + ":role/iam-guardrail-evaluator", "prod-admin"));

        assertThat(d.findings()).extracting(Finding::ruleId).doesNotContain("GUARDRAIL_ROLE_MISUSE");
    }

    @Test
    void disablingTheMembersForwardingRuleThereIsAChangeToTheGuardrail() {
        String disable = """
                {"version":"0","id":"7a1d","detail-type":"AWS API Call via CloudTrail","source":"aws.events",
                 "account":"%1$s","time":"2026-12-07T15:00:00Z","region":"us-east-1","resources":[],
                 "detail":{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAMALLORY",
                   "arn":"arn:aws:iam::%1$s:user/mallory","accountId":"%1$s","userName":"mallory"},
                   "eventTime":"2026-12-07T15:00:00Z","eventSource":"events.amazonaws.com","eventName":"DisableRule",
                   "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15",
                   "requestParameters":{"name":"%2$s"},"responseElements":null,"requestID":"r-2","eventID":"e-2",
                   "readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"%1$s"}}
                """;

        assertThat(judgeInA(disable.formatted(A, MemberStack.FORWARD_RULES.get(0))).findings())
                .extracting(Finding::ruleId).contains("GUARDRAIL_TAMPERED");
        assertThat(judgeInA(disable.formatted(A, "orders-nightly")).findings()).extracting(Finding::ruleId)
                .doesNotContain("GUARDRAIL_TAMPERED");
    }

    @Test
    void aQuarantineInAMemberAttachesThatMembersOwnPolicyAndNeverTouchesTheMemberStacksRoles() {
        GuardrailConfig.Remediation rails = HubWiring.memberSetup(hubSetup, hub, A).config().remediation();

        assertThat(rails.quarantinePolicyArn()).contains("arn:aws:iam::" + A + ":policy/iam-guardrail-quarantine");
        assertThat(rails.guardrailRoleArns()).contains(MEMBER_ROLE, "arn:aws:iam::" + A + ":role/iam-guardrail-forward");
    }
}
