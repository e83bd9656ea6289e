package io.iamguardrail.pipeline;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.EventEvaluatorTest.LAMBDA_TRUST;
import static io.iamguardrail.pipeline.EventEvaluatorTest.READ_BUCKET;
import static io.iamguardrail.pipeline.Events.event;
import static io.iamguardrail.pipeline.WatchListTest.ABAC_SECRETS;
import static io.iamguardrail.pipeline.WatchListTest.ADMIN_ARN;
import static io.iamguardrail.pipeline.WatchListTest.byUser;
import static io.iamguardrail.pipeline.WatchListTest.only;
import static io.iamguardrail.pipeline.WatchListTest.rules;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Account-takeover changes that grant nothing in a policy: identity providers, credentials for other users, MFA,
 * instance profiles, session length and the tags policies decide on; each with the case that must stay quiet.
 */
class TakeoverChangesTest {

    private final FakeIamState iam = new FakeIamState()
            .policy(ADMIN_ARN, "v1", WatchListTest.aws(ADMIN_ARN), true);

    private Decision evaluate(CloudTrailEvent e) {
        return new EventEvaluator(iam, GuardrailConfig.defaults(),
                Optional.of("arn:aws:iam::123456789012:role/iam-guardrail-evaluator")).evaluate(e);
    }

    // ---- IDENTITY_PROVIDER_CHANGED ----

    @Test
    void newSamlMetadataANewOidcAudienceAndNewThumbprintsAreEachReported() {
        String github = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        Decision saml = evaluate(event("UpdateSAMLProvider", "{\"sAMLMetadataDocument\":\"<md:EntityDescriptor/>\","
                + "\"sAMLProviderArn\":\"arn:aws:iam::123456789012:saml-provider/okta\"}"));
        Decision audience = evaluate(event("AddClientIDToOpenIDConnectProvider", "{\"openIDConnectProviderArn\":\"" + github
                + "\",\"clientID\":\"sigstore\"}"));
        Decision thumbprint = evaluate(event("UpdateOpenIDConnectProviderThumbprint", "{\"openIDConnectProviderArn\":\""
                + github + "\",\"thumbprintList\":[\"9e99a48a9960b14926bb7f3b02e22da2b0ab7280\"]}"));

        assertThat(only(saml, "IDENTITY_PROVIDER_CHANGED").message()).contains("replaced the metadata of SAML provider"
                + " `arn:aws:iam::123456789012:saml-provider/okta`");
        assertThat(only(audience, "IDENTITY_PROVIDER_CHANGED").message()).contains("added client id `sigstore` to OIDC provider");
        assertThat(only(thumbprint, "IDENTITY_PROVIDER_CHANGED").message()).contains("replaced the thumbprints of OIDC provider");
        for (Decision d : List.of(saml, audience, thumbprint)) {
            assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        }
    }

    @Test
    void awsSsoRotatingItsOwnSamlMetadataIsNotReported() {
        String json = Events.json("UpdateSAMLProvider", "{\"sAMLMetadataDocument\":\"<md:EntityDescriptor/>\","
                + "\"sAMLProviderArn\":\"arn:aws:iam::123456789012:saml-provider/AWSSSO_0123_DO_NOT_DELETE\"}")
                .replace("\"accessKeyId\":\"ASIAEXAMPLE\",", "\"accessKeyId\":\"ASIAEXAMPLE\",\"invokedBy\":\"sso.amazonaws.com\",");
        Decision d = evaluate(EventDecoder.decode(json.getBytes(StandardCharsets.UTF_8)).event().orElseThrow());

        assertThat(d.findings()).isEmpty();
    }

    // ---- CREDENTIAL_FOR_OTHER_USER ----

    @Test
    void anSshKeyOrGitCredentialForAnotherUserIsReported() {
        Decision ssh = evaluate(event("UploadSSHPublicKey", "{\"userName\":\"erin\",\"sSHPublicKeyBody\":\"ssh-ed25519 AAAAC3Nz mallory@laptop\"}"));
        Decision git = evaluate(byUser("dana", "CreateServiceSpecificCredential", "{\"userName\":\"erin\",\"serviceName\":\"codecommit.amazonaws.com\"}"));

        assertThat(only(ssh, "CREDENTIAL_FOR_OTHER_USER").message()).isEqualTo("`alice@example.com"
                + " (AWSReservedSSO_Admin_0123)` added an SSH public key to another user, `erin`");
        assertThat(only(git, "CREDENTIAL_FOR_OTHER_USER").message()).isEqualTo("`dana` added a service-specific"
                + " credential for `codecommit.amazonaws.com` to another user, `erin`");
    }

    @Test
    void aUserAddingTheirOwnCredentialIsNotReportedWhateverTheCaseOfTheName() {
        Decision unnamed = evaluate(byUser("dana", "UploadSigningCertificate", "{\"certificateBody\":\"-----BEGIN CERTIFICATE-----\"}"));
        Decision named = evaluate(byUser("dana", "UploadSSHPublicKey", "{\"userName\":\"DANA\",\"sSHPublicKeyBody\":\"ssh-ed25519 AAAA dana@laptop\"}"));

        assertThat(unnamed.findings()).isEmpty();
        assertThat(named.findings()).isEmpty();
    }

    // ---- MFA_REMOVED ----

    @Test
    void deactivatingAnotherUsersMfaIsHighAndOnesOwnIsOneStepLower() {
        Decision other = evaluate(event("DeactivateMFADevice", "{\"userName\":\"erin\",\"serialNumber\":\"arn:aws:iam::123456789012:mfa/erin-phone\"}"));
        Decision own = evaluate(byUser("dana", "DeactivateMFADevice", "{\"userName\":\"dana\",\"serialNumber\":\"arn:aws:iam::123456789012:mfa/dana\"}"));

        assertThat(only(other, "MFA_REMOVED").severity()).isEqualTo(Severity.HIGH);
        assertThat(only(other, "MFA_REMOVED").message()).isEqualTo("`alice@example.com (AWSReservedSSO_Admin_0123)`"
                + " deactivated MFA device `arn:aws:iam::123456789012:mfa/erin-phone` of user `erin`");
        assertThat(only(own, "MFA_REMOVED").severity()).isEqualTo(Severity.MEDIUM);
        assertThat(only(own, "MFA_REMOVED").lowered()).hasValue("the caller's own device");
    }

    // ---- INSTANCE_PROFILE_ROLE_ADDED ----

    @Test
    void anAdminRoleOnAnInstanceProfileIsHighAndAScopedRoleIsRecordedBelowTheThreshold() {
        iam.role("web-admin", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                + "\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}", Map.of(), List.of(ADMIN_ARN))
                .role("web-server", LAMBDA_TRUST, Map.of("read", READ_BUCKET), List.of());

        Decision admin = evaluate(event("AddRoleToInstanceProfile", "{\"instanceProfileName\":\"web\",\"roleName\":\"web-admin\"}"));
        Decision scoped = evaluate(event("AddRoleToInstanceProfile", "{\"instanceProfileName\":\"web\",\"roleName\":\"web-server\"}"));

        assertThat(only(admin, "INSTANCE_PROFILE_ROLE_ADDED").message()).isEqualTo("`alice@example.com"
                + " (AWSReservedSSO_Admin_0123)` added role `web-admin` to instance profile `web`: it has administrator access");
        assertThat(admin.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(only(scoped, "INSTANCE_PROFILE_ROLE_ADDED").severity()).isEqualTo(Severity.LOW);
        assertThat(scoped.verdict()).isEqualTo(Verdict.NO_ALERT);
    }

    @Test
    void aRoleWhosePermissionsCannotBeReadIsJudgedAsIfPrivilegedAndUnverified() {
        Decision d = evaluate(event("AddRoleToInstanceProfile", "{\"instanceProfileName\":\"web\",\"roleName\":\"gone\"}"));

        assertThat(rules(d)).containsExactly("INSTANCE_PROFILE_ROLE_ADDED", "UNVERIFIED_CHANGE");
        assertThat(only(d, "INSTANCE_PROFILE_ROLE_ADDED").severity()).isEqualTo(Severity.HIGH);
    }

    // ---- SESSION_DURATION_RAISED ----

    @Test
    void twelveHourSessionsAreReportedAndTheDefaultHourOrADescriptionAreNot() {
        Decision raised = evaluate(event("UpdateRole", "{\"roleName\":\"data-analyst\",\"maxSessionDuration\":43200}"));
        Decision hour = evaluate(event("UpdateRole", "{\"roleName\":\"data-analyst\",\"maxSessionDuration\":3600}"));
        Decision description = evaluate(event("UpdateRole", "{\"roleName\":\"data-analyst\",\"description\":\"analysts\"}"));

        assertThat(only(raised, "SESSION_DURATION_RAISED").message()).isEqualTo("`alice@example.com"
                + " (AWSReservedSSO_Admin_0123)` raised the maximum session duration of role `data-analyst` to 43200 s"
                + " (12.0 h; IAM's default is 1 h)");
        assertThat(raised.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(hour.findings()).isEmpty();
        assertThat(description.findings()).isEmpty();
    }

    // ---- TAG_CHANGES_ACCESS ----

    @Test
    void retaggingARoleIntoAnotherTeamAlertsWhenItsPoliciesReadTheTeamTag() {
        iam.role("team-app", LAMBDA_TRUST, Map.of("secrets", ABAC_SECRETS), List.of());
        Decision d = evaluate(event("TagRole", "{\"roleName\":\"team-app\",\"tags\":[{\"key\":\"Team\",\"value\":\"payments\"}]}"));

        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(only(d, "TAG_CHANGES_ACCESS").message()).isEqualTo("`alice@example.com (AWSReservedSSO_Admin_0123)`"
                + " set tags of role `team-app` that its policies decide on: `aws:ResourceTag/team` in statement #1 of"
                + " inline policy `secrets`; `${aws:PrincipalTag/team}` in statement #1 of inline policy `secrets`");
    }

    @Test
    void removingATagTheUsersBoundaryReadsAlerts() {
        String boundary = "arn:aws:iam::123456789012:policy/tiered-boundary";
        iam.policy(boundary, "v1", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"aws:PrincipalTag/access-tier\":\"restricted\"}}}]}", true)
                .user("erin", Map.of("read", READ_BUCKET), List.of(), Optional.of(boundary), List.of());
        Decision d = evaluate(event("UntagUser", "{\"userName\":\"erin\",\"tagKeys\":[\"access-tier\"]}"));

        assertThat(only(d, "TAG_CHANGES_ACCESS").message()).contains("removed tags of user `erin`")
                .contains("`aws:PrincipalTag/access-tier` in statement #1 of the permissions boundary");
    }

    @Test
    void aCostCenterTagNoPolicyReadsStaysQuietLikeTheDailyCanaryTag() {
        iam.role("orders-api-deploy", LAMBDA_TRUST, Map.of("secrets", ABAC_SECRETS), List.of(ADMIN_ARN));
        Decision d = evaluate(event("TagRole", "{\"roleName\":\"orders-api-deploy\",\"tags\":[{\"key\":\"CostCenter\",\"value\":\"4411\"}]}"));

        assertThat(d.verdict()).isEqualTo(Verdict.NO_ALERT);
        assertThat(d.findings()).isEmpty();
    }

    @Test
    void aTagChangeWhosePrincipalCannotBeReadIsUnverified() {
        Decision d = evaluate(event("TagUser", "{\"userName\":\"nobody\",\"tags\":[{\"key\":\"team\",\"value\":\"x\"}]}"));

        assertThat(rules(d)).containsExactly("UNVERIFIED_CHANGE");
        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
    }
}
