package io.iamguardrail.engine;

import io.iamguardrail.config.Severity;
import org.junit.jupiter.api.Test;

import static io.iamguardrail.Policies.check;
import static io.iamguardrail.Policies.findings;
import static io.iamguardrail.Policies.together;
import static org.assertj.core.api.Assertions.assertThat;

/** A condition the principal can make true itself does not lower a finding, and the finding says why. */
class SettableConditionsTest {

    private static final String ATTACH_DEV_ROLES = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DevRoles\","
            + "\"Effect\":\"Allow\",\"Action\":[\"iam:AttachRolePolicy\",\"sts:AssumeRole\"],\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"iam:ResourceTag/team\":\"dev\"}}}]}";

    @Test
    void aResourceTagTheSamePrincipalMayWriteDoesNotNarrow() {
        // Without tagging rights the tag limits the grant to the dev team's roles: one step lower.
        Finding scoped = findings(check(ATTACH_DEV_ROLES), "PRIVILEGE_ESCALATION").get(0);
        assertThat(scoped.severity()).isEqualTo(Severity.HIGH);
        assertThat(scoped.lowered()).isPresent();

        // With iam:TagRole (in another policy of the same principal) any role can be made "dev" first.
        Report r = together(ATTACH_DEV_ROLES, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"iam:TagRole\",\"iam:ListRoles\"],\"Resource\":\"*\"}]}");
        Finding f = findings(r, "PRIVILEGE_ESCALATION").stream().filter(x -> x.message().contains("DevRoles"))
                .findFirst().orElseThrow(() -> new AssertionError(r.findings().toString()));
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.message()).contains("condition `iam:ResourceTag/team` does not narrow it: the principal may set that tag itself (`iam:TagRole`)");
    }

    @Test
    void thePrincipalsOwnTagOnItsOwnPolicyDoesNotNarrow() {
        Report r = check("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:CreatePolicyVersion\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/department\":\"platform\"}}}]}");
        Finding f = findings(r, "PRIVILEGE_ESCALATION").get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.message()).contains("`aws:PrincipalTag/department` does not narrow it: it tests the principal's own tag");
    }

    @Test
    void theTagsOfTheCallersOwnRequestDoNotNarrow() {
        Report r = check("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:PassRole\","
                + "\"lambda:CreateFunction\",\"lambda:InvokeFunction\"],\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:RequestTag/cost-center\":\"42\"}}}]}");
        Finding f = findings(r, "PRIVILEGE_ESCALATION").get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.message()).contains("the caller chooses the tags of its own request");
    }

    @Test
    void aNetworkConditionBesideATagStillNarrows() {
        Finding f = findings(check("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:CreatePolicyVersion\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/department\":\"platform\"},"
                + "\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}}]}"), "PRIVILEGE_ESCALATION").get(0);
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.message()).contains("aws:SourceIp").doesNotContain("does not narrow");
    }
}
