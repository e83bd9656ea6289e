package io.iamguardrail.wiring;

import io.iamguardrail.organization.MemberRole;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The evaluator function's environment as template.yaml sets it, unused variables included (as empty strings). */
class EvaluatorEnvironmentTest {

    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:iam-guardrail-alerts";

    @Test
    void anEmptyTopicIsAnInitErrorThatNamesTheVariable() {
        assertThatThrownBy(() -> EvaluatorEnvironment.setup(Map.of("TOPIC_ARN", "  ")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected the environment variable TOPIC_ARN");
    }

    @Test
    void theTemplatesEmptyValuesMeanNotSetAndTheGateDefaultsToConfirmedEventsOfADay() {
        EvaluatorSetup s = EvaluatorEnvironment.setup(Map.of("TOPIC_ARN", TOPIC, "TABLE_NAME", "", "BACKUP_BUCKET", "",
                "MAC_KEY_ID", "", "OPERATIONS_TOPIC_ARN", ""));

        assertThat(s.topicArn()).contains(TOPIC);
        assertThat(s.table()).isEmpty();
        assertThat(s.backupBucket()).isEmpty();
        assertThat(s.macKeyId()).isEmpty();
        assertThat(s.operationsTopicArn()).isEmpty();
        assertThat(s.maxEventAge()).isEqualTo(Optional.of(Duration.ofHours(24)));
        assertThat(s.confirmWithCloudTrail()).isTrue();
        assertThat(s.scope()).isEqualTo(EvaluatorSetup.Scope.FUNCTION);
    }

    @Test
    void gateSettingsThatAreNotWhatTheyShouldBeStopTheFunctionWithTheValueFound() {
        assertThatThrownBy(() -> EvaluatorEnvironment.setup(Map.of("TOPIC_ARN", TOPIC, "MAX_EVENT_AGE_HOURS", "1d")))
                .hasMessage("expected MAX_EVENT_AGE_HOURS to be a whole number of hours but found `1d`");
        assertThatThrownBy(() -> EvaluatorEnvironment.setup(Map.of("TOPIC_ARN", TOPIC, "CONFIRM_EVENTS", "yes")))
                .hasMessage("expected CONFIRM_EVENTS to be true or false but found `yes`");
    }

    @Test
    void theReadShareIsTheTemplatesValueNoLimitWhenUnsetAndAnythingElseStopsTheFunction() {
        assertThat(EvaluatorEnvironment.setup(Map.of("TOPIC_ARN", TOPIC, "IAM_READS_PER_SECOND", "10"))
                .iamReadsPerSecond()).isEqualTo(10);
        assertThat(EvaluatorEnvironment.setup(Map.of("TOPIC_ARN", TOPIC)).iamReadsPerSecond()).isZero();
        assertThatThrownBy(() -> EvaluatorEnvironment.setup(Map.of("TOPIC_ARN", TOPIC, "IAM_READS_PER_SECOND", "-3")))
                .hasMessage("expected IAM_READS_PER_SECOND to be a number of reads a second from 0 (no limit) to 1000"
                        + " but found `-3`");
    }

    @Test
    void aSingleAccountIsTheDefaultAndAssumesNoRoleWhateverTheMemberVariablesSay() {
        assertThat(EvaluatorEnvironment.memberRole(Map.of())).isEmpty();
        assertThat(EvaluatorEnvironment.memberRole(Map.of("DEPLOYMENT_MODE", "account",
                "MEMBER_ROLE_NAME", "iam-guardrail-member", "MEMBER_EXTERNAL_ID", ""))).isEmpty();
    }

    @Test
    void aHubAssumesTheNamedMemberRoleWithTheStacksExternalId() {
        assertThat(EvaluatorEnvironment.memberRole(Map.of("DEPLOYMENT_MODE", "hub", "MEMBER_ROLE_NAME",
                "iam-guardrail-member", "MEMBER_EXTERNAL_ID", "51fd4e60-d3b8-11ef-9c5a-0affd0d8b4c1")))
                .contains(new MemberRole("iam-guardrail-member", Optional.of("51fd4e60-d3b8-11ef-9c5a-0affd0d8b4c1")));
    }

    @Test
    void badHubSettingsStopTheFunctionWithTheVariableAndTheValueFound() {
        assertThatThrownBy(() -> EvaluatorEnvironment.memberRole(Map.of("DEPLOYMENT_MODE", "organization")))
                .hasMessage("expected DEPLOYMENT_MODE to be account or hub but found `organization`");
        assertThatThrownBy(() -> EvaluatorEnvironment.memberRole(Map.of("DEPLOYMENT_MODE", "hub", "MEMBER_ROLE_NAME", "")))
                .hasMessageStartingWith("expected the environment variable MEMBER_ROLE_NAME");
        assertThatThrownBy(() -> EvaluatorEnvironment.memberRole(Map.of("DEPLOYMENT_MODE", "hub",
                "MEMBER_ROLE_NAME", "role/with/slashes")))
                .hasMessage("invalid MEMBER_ROLE_NAME or MEMBER_EXTERNAL_ID: expected a role name (1 to 64 of"
                        + " A-Z a-z 0-9 +=,.@_-) but found `role/with/slashes`");
        assertThatThrownBy(() -> EvaluatorEnvironment.memberRole(Map.of("DEPLOYMENT_MODE", "hub",
                "MEMBER_ROLE_NAME", "iam-guardrail-member", "MEMBER_EXTERNAL_ID", "x")))
                .hasMessageStartingWith("invalid MEMBER_ROLE_NAME or MEMBER_EXTERNAL_ID: expected an external id");
    }

    @Test
    void theMemberRolesPartitionIsTheEvaluatorsOwn() {
        assertThat(EvaluatorEnvironment.partition(Optional.of("arn:aws-cn:iam::123456789012:role/e"))).isEqualTo("aws-cn");
        assertThat(EvaluatorEnvironment.partition(Optional.empty())).isEqualTo("aws");
    }
}
