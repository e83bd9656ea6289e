package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleLinksTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The trust-policy alert with its findings' principal removed and the given target. */
    static AlertDocument withTarget(String target) throws Exception {
        ObjectNode a = (ObjectNode) JSON.readTree(Alerts.json("update-assume-role-policy-any-principal"));
        a.withArray("findings").forEach(f -> ((ObjectNode) f).remove("principal"));
        a.put("target", target);
        return AlertDocument.parse(a.toString());
    }

    @Test
    void thePrincipalPageComesFromTheTargetWhenNoFindingNamesOne() throws Exception {
        assertThat(ConsoleLinks.principal(withTarget("user carol"))).contains(new ConsoleLinks.Link(
                "IAM console: user carol", "https://console.aws.amazon.com/iam/home#/users/details/carol"));
        assertThat(ConsoleLinks.principal(withTarget("user carol in group admins")).map(ConsoleLinks.Link::url))
                .contains("https://console.aws.amazon.com/iam/home#/users/details/carol");
        assertThat(ConsoleLinks.principal(withTarget("group developers inline policy logs")).map(ConsoleLinks.Link::url))
                .contains("https://console.aws.amazon.com/iam/home#/groups/details/developers");
        assertThat(ConsoleLinks.principal(withTarget("arn:aws:iam::aws:policy/AdministratorAccess v3")).map(ConsoleLinks.Link::url))
                .contains("https://console.aws.amazon.com/iam/home#/policies/details/arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAdministratorAccess");
        assertThat(ConsoleLinks.principal(withTarget("https://token.actions.githubusercontent.com"))).isEmpty();
    }

    @Test
    void aRoleWithAPathLinksByItsName() {
        assertThat(ConsoleLinks.fromArn("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123"))
                .map(ConsoleLinks.Link::url)
                .isEqualTo(Optional.of("https://console.aws.amazon.com/iam/home#/roles/details/AWSReservedSSO_Admin_0123"));
    }

    /** GovCloud and China have consoles of their own; a link to the commercial one would open the wrong partition. */
    @Test
    void eachPartitionLinksToItsOwnConsole() {
        assertThat(ConsoleLinks.fromArn("arn:aws-us-gov:iam::123456789012:role/deploy").map(ConsoleLinks.Link::url))
                .contains("https://console.amazonaws-us-gov.com/iam/home#/roles/details/deploy");
        assertThat(ConsoleLinks.fromArn("arn:aws-cn:iam::123456789012:policy/ops").map(ConsoleLinks.Link::url))
                .contains("https://console.amazonaws.cn/iam/home#/policies/details/arn%3Aaws-cn%3Aiam%3A%3A123456789012%3Apolicy%2Fops");
        assertThat(ConsoleLinks.fromArn("arn:aws-iso-b:iam::123456789012:user/ops")).isEmpty();
    }
}
