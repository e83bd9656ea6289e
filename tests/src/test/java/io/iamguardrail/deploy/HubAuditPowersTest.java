package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit function's powers in a hub: it may assume only the member role, only in accounts of its own organization,
 * and list the organization's accounts; in a single account it has neither. The attack tried: a role of the same name
 * in an account outside the organization, or any other role, assumed with the audit's credentials.
 */
class HubAuditPowersTest {

    static List<JsonNode> statements() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        DeployTemplate.template().path("Resources").path("AuditPolicy").path("Properties").path("PolicyDocument")
                .path("Statement").forEach(out::add);
        return out;
    }

    @Test
    void onlyAHubMayAssumeTheMemberRoleAndOnlyInsideItsOrganization() throws IOException {
        List<JsonNode> conditional = statements().stream().filter(JsonNode::isArray).toList();
        assertThat(conditional).as("statements under !If").hasSize(2)
                .allMatch(s -> s.get(0).asText().equals("IsHub") && s.get(2).asText().equals("AWS::NoValue"));

        JsonNode assume = conditional.get(0).get(1);
        assertThat(assume.path("Action").asText()).isEqualTo("sts:AssumeRole");
        assertThat(assume.path("Resource").asText()).isEqualTo("arn:${AWS::Partition}:iam::*:role/${MemberRoleName}");
        assertThat(assume.path("Condition").path("StringEquals").path("aws:ResourceOrgID").asText()).isEqualTo("OrganizationId");
        assertThat(assume.path("Condition").size()).isEqualTo(1);

        JsonNode list = conditional.get(1).get(1);
        assertThat(list.path("Action").asText()).isEqualTo("organizations:ListAccounts");
        assertThat(list.path("Resource").asText()).isEqualTo("*");

        assertThat(statements().stream().filter(JsonNode::isObject).map(s -> s.path("Action").toString()))
                .as("no unconditional statement reaches STS or Organizations")
                .noneMatch(a -> a.contains("sts:") || a.contains("organizations:"));
    }

    @Test
    void theAuditFunctionKnowsTheModeTheMemberRoleAndTheExternalIdTheMemberStackRequires() throws IOException {
        JsonNode vars = DeployTemplate.template().path("Resources").path("AuditFunction").path("Properties")
                .path("Environment").path("Variables");
        assertThat(vars.path("DEPLOYMENT_MODE").asText()).isEqualTo("DeploymentMode");
        assertThat(vars.path("MEMBER_ROLE_NAME").asText()).isEqualTo("MemberRoleName");
        assertThat(vars.path("MEMBER_EXTERNAL_ID").toString()).isEqualTo("[2,[\"/\",\"AWS::StackId\"]]");
    }
}
