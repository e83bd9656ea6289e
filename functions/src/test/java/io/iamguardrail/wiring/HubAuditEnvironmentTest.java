package io.iamguardrail.wiring;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hub's environment: a single account unless told otherwise, and a hub that cannot name its member role fails at init. */
class HubAuditEnvironmentTest {

    @Test
    void aSingleAccountUnlessTheModeIsHubAndAMisspeltModeFails() {
        assertThat(HubAuditEnvironment.hub(Map.of())).isFalse();
        assertThat(HubAuditEnvironment.hub(Map.of("DEPLOYMENT_MODE", "account"))).isFalse();
        assertThat(HubAuditEnvironment.hub(Map.of("DEPLOYMENT_MODE", "hub"))).isTrue();
        assertThatThrownBy(() -> HubAuditEnvironment.hub(Map.of("DEPLOYMENT_MODE", "Hub ")))
                .hasMessage("expected DEPLOYMENT_MODE to be account or hub but found `Hub`");
    }

    @Test
    void aHubNamesItsMemberRoleAndExternalId() {
        assertThat(HubAuditEnvironment.role(Map.of("MEMBER_ROLE_NAME", "iam-guardrail-member",
                "MEMBER_EXTERNAL_ID", "4f1c2a7e-3b9d-11f0-a0c4-0a2f5b7e9a13")).externalId())
                .isEqualTo(Optional.of("4f1c2a7e-3b9d-11f0-a0c4-0a2f5b7e9a13"));
        assertThatThrownBy(() -> HubAuditEnvironment.role(Map.of("DEPLOYMENT_MODE", "hub")))
                .hasMessageStartingWith("expected the environment variable MEMBER_ROLE_NAME");
        assertThatThrownBy(() -> HubAuditEnvironment.role(Map.of("MEMBER_ROLE_NAME", "role/../admin")))
                .hasMessageStartingWith("MEMBER_ROLE_NAME or MEMBER_EXTERNAL_ID: expected a role name");
        assertThat(HubAuditEnvironment.partition("cn-north-1")).isEqualTo("aws-cn");
        assertThat(HubAuditEnvironment.partition("us-gov-west-1")).isEqualTo("aws-us-gov");
        assertThat(HubAuditEnvironment.partition("eu-west-1")).isEqualTo("aws");
    }
}
