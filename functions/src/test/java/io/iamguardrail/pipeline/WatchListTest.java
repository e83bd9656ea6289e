package io.iamguardrail.pipeline;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static io.iamguardrail.pipeline.EventEvaluatorTest.ADMIN;
import static io.iamguardrail.pipeline.EventEvaluatorTest.LAMBDA_TRUST;
import static io.iamguardrail.pipeline.EventEvaluatorTest.READ_BUCKET;
import static io.iamguardrail.pipeline.Events.event;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reversals (a Deny or a quarantine taken away, a key re-activated), each tried the way an attacker inside the
 * account would, against an in-memory IAM holding real AWS managed policy documents. Takeover changes:
 * {@link TakeoverChangesTest}.
 */
class WatchListTest {

    static final String DENY_ALL = "arn:aws:iam::aws:policy/AWSDenyAll";
    static final String ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";
    static final String QUARANTINE = "arn:aws:iam::123456789012:policy/iam-guardrail-quarantine";
    /** AWS's documented policy that forces MFA: everything but managing one's own MFA is denied without it. */
    static final String FORCE_MFA = """
            {"Version":"2012-10-17","Statement":[{"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny",
             "NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ListMFADevices",
               "iam:ListVirtualMFADevices","iam:ResyncMFADevice","sts:GetSessionToken"],"Resource":"*",
             "Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}""";
    /** Attribute-based access: the role may manage the secrets of its own team, whichever team its tag names. */
    static final String ABAC_SECRETS = """
            {"Version":"2012-10-17","Statement":[{"Sid":"OwnTeamSecrets","Effect":"Allow",
             "Action":["secretsmanager:GetSecretValue","secretsmanager:PutSecretValue"],"Resource":"*",
             "Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}]}""";

    private final FakeIamState iam = new FakeIamState()
            .policy(DENY_ALL, "v1", aws(DENY_ALL), true)
            .policy(ADMIN_ARN, "v1", aws(ADMIN_ARN), true)
            .policy(QUARANTINE, "v1", aws(DENY_ALL), true)
            .policy("arn:aws:iam::123456789012:policy/force-mfa", "v3", FORCE_MFA, true);

    static String aws(String arn) {
        return ManagedPolicySnapshot.bundled().find(arn).orElseThrow().document();
    }

    private Decision evaluate(CloudTrailEvent e) {
        return evaluate(e, GuardrailConfig.defaults());
    }

    private Decision evaluate(CloudTrailEvent e, GuardrailConfig config) {
        return new EventEvaluator(iam, config, Optional.of("arn:aws:iam::123456789012:role/iam-guardrail-evaluator"))
                .evaluate(e);
    }

    static Set<String> rules(Decision d) {
        Set<String> ids = new TreeSet<>();
        d.findings().forEach(f -> ids.add(f.ruleId()));
        return ids;
    }

    static Finding only(Decision d, String rule) {
        return d.findings().stream().filter(f -> f.ruleId().equals(rule)).findFirst().orElseThrow(
                () -> new AssertionError("expected a " + rule + " finding but found " + d.findings()));
    }

    /** The same call made by IAM user `dana` with her own access key. */
    static CloudTrailEvent byUser(String user, String eventName, String request) {
        String json = Events.json(eventName, request).replaceFirst("(?s)\"userIdentity\":\\{.*?\"attributes\":\\{[^}]*}}}",
                "\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDA4EXAMPLEUSER0001\",\"arn\":"
                        + "\"arn:aws:iam::123456789012:user/" + user + "\",\"accountId\":\"123456789012\","
                        + "\"accessKeyId\":\"AKIA4EXAMPLEKEY00007\",\"userName\":\"" + user + "\"}");
        assertThat(json).contains("\"type\":\"IAMUser\"");
        return EventDecoder.decode(json.getBytes(StandardCharsets.UTF_8)).event().orElseThrow();
    }

    // ---- DENY_REMOVED ----

    @Test
    void detachingAwsDenyAllFromARoleAlertsWithTheStatementThatNoLongerApplies() {
        iam.role("contractor-access", LAMBDA_TRUST, Map.of(), List.of(ADMIN_ARN));
        Decision d = evaluate(event("DetachRolePolicy", "{\"roleName\":\"contractor-access\",\"policyArn\":\"" + DENY_ALL + "\"}"));

        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        Finding f = only(d, "DENY_REMOVED");
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.message()).isEqualTo("`alice@example.com (AWSReservedSSO_Admin_0123)` detached a policy from role"
                + " `contractor-access`: statement `DenyAll` (#1) of `" + DENY_ALL + "` denies `*`, which no longer applies");
    }

    @Test
    void detachingAPolicyThatOnlyAllowsIsAReductionAndStaysQuiet() {
        iam.role("ci-runner", LAMBDA_TRUST, Map.of(), List.of());
        Decision d = evaluate(event("DetachRolePolicy", "{\"roleName\":\"ci-runner\",\"policyArn\":\"" + ADMIN_ARN + "\"}"));

        assertThat(d.verdict()).isEqualTo(Verdict.NO_ALERT);
        assertThat(d.findings()).isEmpty();
    }

    @Test
    void detachingTheForceMfaPolicyIsADenyRemovedEvenThoughItIsWrittenWithNotAction() {
        iam.user("erin", Map.of(), List.of(), Optional.empty(), List.of());
        Decision d = evaluate(event("DetachUserPolicy",
                "{\"userName\":\"erin\",\"policyArn\":\"arn:aws:iam::123456789012:policy/force-mfa\"}"));

        assertThat(only(d, "DENY_REMOVED").message()).contains("user `erin`")
                .contains("statement `DenyAllExceptListedIfNoMFA` (#1)")
                .contains("denies everything but `iam:CreateVirtualMFADevice`, `iam:EnableMFADevice`, `iam:GetUser` and 4 more");
    }

    @Test
    void leavingAGroupThatHoldsADenyAlertsAndLeavingAnOrdinaryGroupDoesNot() {
        iam.group("restricted-contractors", Map.of("no-iam", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"NoIam\","
                + "\"Effect\":\"Deny\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}"), List.of())
                .group("readers", Map.of("read", READ_BUCKET), List.of());

        Decision restricted = evaluate(event("RemoveUserFromGroup", "{\"groupName\":\"restricted-contractors\",\"userName\":\"erin\"}"));
        Decision ordinary = evaluate(event("RemoveUserFromGroup", "{\"groupName\":\"readers\",\"userName\":\"erin\"}"));

        assertThat(only(restricted, "DENY_REMOVED").message()).isEqualTo("`alice@example.com (AWSReservedSSO_Admin_0123)`"
                + " removed user `erin` from group `restricted-contractors`: statement `NoIam` (#1) of `no-iam` of group"
                + " `restricted-contractors` denies `iam:*`, which no longer applies to the user");
        assertThat(ordinary.verdict()).isEqualTo(Verdict.NO_ALERT);
        assertThat(ordinary.findings()).isEmpty();
    }

    @Test
    void aDeletedInlinePolicyIsUnverifiedNeverCleanBecauseItsDocumentIsGone() {
        iam.role("build-runner", LAMBDA_TRUST, Map.of(), List.of());
        Decision d = evaluate(event("DeleteRolePolicy", "{\"roleName\":\"build-runner\",\"policyName\":\"deny-prod\"}"));

        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(only(d, "UNVERIFIED_CHANGE").message()).isEqualTo("the deleted inline policy `deny-prod` of role"
                + " build-runner could not be evaluated: IAM no longer has it and the event names it only; if it denied"
                + " anything, that is allowed again");
    }

    @Test
    void neuteringTheQuarantinePolicyWithANewDefaultVersionIsADenyRemoved() {
        String neutered = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}";
        iam.policy(QUARANTINE, "v2", neutered, true);
        Decision d = evaluate(event("CreatePolicyVersion", "{\"policyArn\":\"" + QUARANTINE + "\",\"policyDocument\":"
                + quoted(neutered) + ",\"setAsDefault\":true}"));

        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(only(d, "DENY_REMOVED").message()).isEqualTo("`alice@example.com (AWSReservedSSO_Admin_0123)`"
                + " changed the default version of `" + QUARANTINE + "`: statement `DenyAll` (#1) of `" + QUARANTINE
                + "` v1, which denies `*`, is not in the new version, so it no longer applies");
    }

    @Test
    void aNewVersionThatKeepsTheDenyUnderAnotherSidOrIsOnlyStagedRemovesNothing() {
        String arn = "arn:aws:iam::123456789012:policy/force-mfa";
        String kept = FORCE_MFA.replace("DenyAllExceptListedIfNoMFA", "RequireMfa").replace("\n", " ");
        iam.policy(arn, "v4", kept, true);
        Decision renamed = evaluate(event("CreatePolicyVersion", "{\"policyArn\":\"" + arn + "\",\"policyDocument\":"
                + quoted(kept) + ",\"setAsDefault\":true}"));
        String dropped = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:GetUser\","
                + "\"Resource\":\"*\"}]}";
        iam.policy(arn, "v5", dropped, false);
        Decision staged = evaluate(event("CreatePolicyVersion", "{\"policyArn\":\"" + arn + "\",\"policyDocument\":"
                + quoted(dropped) + "}"));

        assertThat(rules(renamed)).doesNotContain("DENY_REMOVED");
        assertThat(rules(staged)).doesNotContain("DENY_REMOVED");
    }

    // ---- QUARANTINE_REMOVED ----

    @Test
    void detachingTheGuardrailsQuarantinePolicyIsCriticalAndNamedAsTheQuarantine() throws Exception {
        GuardrailConfig config = new ConfigLoader(Rules.configurableIds())
                .load("remediation:\n  quarantinePolicyArn: " + QUARANTINE + "\n", "guardrail.yaml");
        iam.role("orders-api-deploy", LAMBDA_TRUST, Map.of(), List.of(ADMIN_ARN));
        Decision d = evaluate(event("DetachRolePolicy", "{\"roleName\":\"orders-api-deploy\",\"policyArn\":\"" + QUARANTINE + "\"}"),
                config);

        assertThat(rules(d)).containsExactly("QUARANTINE_REMOVED");
        assertThat(only(d, "QUARANTINE_REMOVED").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(only(d, "QUARANTINE_REMOVED").message()).isEqualTo("`alice@example.com (AWSReservedSSO_Admin_0123)`"
                + " removed the guardrail's quarantine policy `" + QUARANTINE + "` with `DetachRolePolicy`: the quarantined"
                + " principal has its permissions back");
    }

    @Test
    void deletingTheQuarantineIamPutOnAnExposedKeysUserIsCritical() {
        Decision d = evaluate(event("DeleteUserPolicy", "{\"userName\":\"build-bot\",\"policyName\":\"AWSCompromisedKeyQuarantineV2\"}"));

        assertThat(only(d, "QUARANTINE_REMOVED").message()).contains("AWS's compromised-key quarantine policy"
                + " `AWSCompromisedKeyQuarantineV2`");
        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
    }

    @Test
    void removingTheQuarantineTagIsReportedButAnUnrelatedTagIsNot() {
        iam.role("orders-api-deploy", LAMBDA_TRUST, Map.of(), List.of(QUARANTINE));
        Decision tag = evaluate(event("UntagRole", "{\"roleName\":\"orders-api-deploy\",\"tagKeys\":[\"iam-guardrail:quarantined\"]}"));
        Decision other = evaluate(event("UntagRole", "{\"roleName\":\"orders-api-deploy\",\"tagKeys\":[\"CostCenter\"]}"));

        assertThat(only(tag, "QUARANTINE_REMOVED").message()).contains("the guardrail's quarantine tag"
                + " `iam-guardrail:quarantined` of role orders-api-deploy").contains("the record of the quarantine is gone");
        assertThat(other.verdict()).isEqualTo(Verdict.NO_ALERT);
        assertThat(other.findings()).isEmpty();
    }

    @Test
    void anAdminPolicyNamedLikeAwssQuarantineIsJudgedLikeAnyOther() {
        iam.role("app", LAMBDA_TRUST, Map.of("AWSCompromisedKeyQuarantineV3", ADMIN), List.of())
                .policy("arn:aws:iam::123456789012:policy/AWSCompromisedKeyQuarantineV4", "v1", ADMIN, true);
        Decision inline = evaluate(event("PutRolePolicy", "{\"roleName\":\"app\",\"policyName\":\"AWSCompromisedKeyQuarantineV3\","
                + "\"policyDocument\":" + quoted(ADMIN) + "}"));
        Decision customer = evaluate(event("AttachRolePolicy", "{\"roleName\":\"app\",\"policyArn\":"
                + "\"arn:aws:iam::123456789012:policy/AWSCompromisedKeyQuarantineV4\"}"));

        assertThat(rules(inline)).contains("ADMIN_ACCESS");
        assertThat(rules(customer)).contains("ADMIN_ACCESS");
    }

    // ---- ACCESS_KEY_REACTIVATED ----

    @Test
    void aKeySetBackToActiveAlertsAndDeactivatingOneDoesNot() {
        Decision active = evaluate(event("UpdateAccessKey", "{\"userName\":\"build-bot\",\"accessKeyId\":\"AKIA4EXAMPLEKEY00042\",\"status\":\"Active\"}"));
        Decision inactive = evaluate(event("UpdateAccessKey", "{\"userName\":\"build-bot\",\"accessKeyId\":\"AKIA4EXAMPLEKEY00042\",\"status\":\"Inactive\"}"));

        assertThat(only(active, "ACCESS_KEY_REACTIVATED").message()).isEqualTo("`alice@example.com"
                + " (AWSReservedSSO_Admin_0123)` set access key `AKIA4EXAMPLEKEY00042` of user `build-bot` back to Active:"
                + " a deactivated key works again");
        assertThat(active.target()).hasValue("user build-bot access key AKIA4EXAMPLEKEY00042");
        assertThat(inactive.verdict()).isEqualTo(Verdict.NO_ALERT);
        assertThat(inactive.findings()).isEmpty();
    }

    @Test
    void aUserReactivatingTheirOwnKeyWithoutNamingThemselvesIsStillReported() {
        Decision d = evaluate(byUser("dana", "UpdateAccessKey", "{\"accessKeyId\":\"AKIA4EXAMPLEKEY00007\",\"status\":\"active\"}"));

        assertThat(only(d, "ACCESS_KEY_REACTIVATED").message()).contains("of user `dana` back to Active");
    }
}
