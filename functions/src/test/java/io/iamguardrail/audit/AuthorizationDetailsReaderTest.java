package io.iamguardrail.audit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthorizationDetailsReaderTest {

    static byte[] fixture() {
        try (InputStream in = AuthorizationDetailsReaderTest.class.getResourceAsStream("/examples/account-authorization-details.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static AccountSnapshot account() {
        try {
            return AuthorizationDetailsReader.read(fixture(), "authorization-details.json");
        } catch (AuthorizationDetailsException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsTheCliOutputWithEveryKindOfPrincipal() {
        AccountSnapshot a = account();

        assertThat(a.accountId()).contains("123456789012");
        assertThat(a.roles()).extracting(AccountSnapshot.Role::name).containsExactly("orders-api-handler", "vendor-admin",
                "github-deploy", "legacy-batch", "AWSServiceRoleForSupport");
        AccountSnapshot.Role vendor = a.roles().get(1);
        assertThat(vendor.trustPolicy()).contains("arn:aws:iam::999988887777:root");
        assertThat(vendor.attachedPolicyArns()).containsExactly("arn:aws:iam::aws:policy/AdministratorAccess");
        assertThat(vendor.lastUsed()).contains(Instant.parse("2026-03-02T16:20:00Z"));
        assertThat(a.roles().get(3).lastUsed()).isEmpty();
        assertThat(a.roles().get(3).created()).contains(Instant.parse("2024-05-01T09:00:00Z"));
        assertThat(a.roles().get(4).isServiceLinked()).isTrue();
        assertThat(a.users().get(0).inlinePolicies()).containsKey("rotate-keys");
        assertThat(a.users().get(0).groups()).containsExactly("developers");
        assertThat(a.groups().get(0).attachedPolicyArns()).containsExactly("arn:aws:iam::123456789012:policy/developer-access");
        // The default version (v2), not the older v1, is the policy's document.
        assertThat(a.policies().get("arn:aws:iam::123456789012:policy/developer-access").document().orElseThrow())
                .contains("iam:PassRole");
    }

    @Test
    void acceptsUrlEncodedAndPlainStringDocumentsAsTheRawApiAndOtherToolsWriteThem() throws Exception {
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}";
        String inline = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::a+b/*\"}]}";
        // IAM encodes RFC 3986 style: a space is %20 and a literal plus is %2B.
        String encodedTrust = URLEncoder.encode(trust, StandardCharsets.UTF_8).replace("+", "%20");
        String json = "{\"RoleDetailList\":[{\"RoleName\":\"open\",\"Arn\":\"arn:aws:iam::123456789012:role/open\","
                + "\"CreateDate\":\"2025-01-01T00:00:00Z\",\"AssumeRolePolicyDocument\":\"" + encodedTrust + "\","
                + "\"RolePolicyList\":[{\"PolicyName\":\"p\",\"PolicyDocument\":" + quote(inline) + "}]}]}";

        AccountSnapshot a = AuthorizationDetailsReader.read(json.getBytes(StandardCharsets.UTF_8), "raw.json");

        assertThat(a.roles().get(0).trustPolicy()).isEqualTo(trust);
        // Already-decoded text is taken as it is: its `+` stays a plus.
        assertThat(a.roles().get(0).inlinePolicies().get("p")).isEqualTo(inline);
        assertThat(a.roles().get(0).created()).contains(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    void errorsSayWhatWasExpectedAndWhere() {
        assertThatThrownBy(() -> AuthorizationDetailsReader.read(
                "{\"RoleDetailList\":[{\"Arn\":\"arn:aws:iam::123456789012:role/x\"}]}".getBytes(StandardCharsets.UTF_8), "d.json"))
                .isInstanceOf(AuthorizationDetailsException.class)
                .hasMessage("d.json: expected a string at $.RoleDetailList[0].RoleName but found nothing");
        assertThatThrownBy(() -> AuthorizationDetailsReader.read("{\"Statement\":[]}".getBytes(StandardCharsets.UTF_8), "policy.json"))
                .hasMessage("policy.json: expected the output of `aws iam get-account-authorization-details` (an object with"
                        + " UserDetailList, GroupDetailList, RoleDetailList, Policies) but found none of these keys");
        assertThatThrownBy(() -> AuthorizationDetailsReader.read("{\"RoleDetailList\": [".getBytes(StandardCharsets.UTF_8), "cut.json"))
                .hasMessageStartingWith("cut.json: expected JSON but found a syntax error at line 1");
        assertThatThrownBy(() -> AuthorizationDetailsReader.read(("{\"RoleDetailList\":[{\"RoleName\":\"r\",\"Arn\":\"a\","
                + "\"RoleLastUsed\":{\"LastUsedDate\":\"last tuesday\"}}]}").getBytes(StandardCharsets.UTF_8), "d.json"))
                .hasMessage("d.json: expected an ISO-8601 date at $.RoleDetailList[0].RoleLastUsed.LastUsedDate but found `last tuesday`");
    }

    @Test
    void anEmptyAccountIsReadAsEmpty() throws Exception {
        AccountSnapshot a = AuthorizationDetailsReader.read("{\"UserDetailList\":[],\"RoleDetailList\":[]}".getBytes(StandardCharsets.UTF_8), "e");
        assertThat(a.principalCount()).isZero();
        assertThat(a.accountId()).isEqualTo(Optional.empty());
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
