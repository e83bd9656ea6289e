package io.iamguardrail.pipeline;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.Events.event;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paths that group membership opens (a user added to a group, a group's policy changed: its members gain it) and
 * trusts that admit the account's root or {@code *} on a role with administrator access, in real time.
 */
class GroupAndOpenTrustPathsTest {

    private static final String ACCOUNT = "arn:aws:iam::123456789012:";
    private static final String ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final String TRUSTS_ACCOUNT = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Account\","
            + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ACCOUNT + "root\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String TRUSTS_ANYONE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String ASSUME_OPS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Operate\",\"Effect\":\"Allow\","
            + "\"Action\":\"sts:AssumeRole\",\"Resource\":\"" + ACCOUNT + "role/ops-admin\"}]}";

    private final FakeIamState iam = new FakeIamState();

    private static String aws(String name) {
        String env = System.getenv("IAM_GUARDRAIL_CORPUS");
        Path corpus = Path.of(env != null && !env.isBlank() ? env : System.getProperty("corpus.dir", "../../shared/corpus"));
        try {
            return Files.readString(corpus.resolve("aws-managed-policies").resolve(name + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CloudTrailEvent file(Path path) {
        try {
            return EventDecoder.decode(Files.readAllBytes(path)).event().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Decision evaluate(CloudTrailEvent e) {
        return NewPathsTest.evaluate(iam, e);
    }

    private static List<Finding> paths(Decision d) {
        return NewPathsTest.paths(d);
    }

    /** ops-admin (AdministratorAccess) trusts the account: a principal allowed to assume it reaches administrator access. */
    private FakeIamState opsAdmin() {
        return iam.role("ops-admin", TRUSTS_ACCOUNT, Map.of(), List.of(ADMIN_POLICY))
                .policy(ADMIN_POLICY, "v1", aws("AdministratorAccess"), true);
    }

    @Test
    void aUserAddedToAGroupThatMayAssumeAnAdminRoleGainsThePath() {
        // events/add-user-to-group-admins.json: bob adds mallory to `admins`.
        opsAdmin().group("admins", Map.of("operate", ASSUME_OPS), List.of())
                .user("mallory", Map.of(), List.of(), Optional.empty(), List.of("admins"));
        Decision d = evaluate(file(Path.of("../events/add-user-to-group-admins.json")));

        assertThat(paths(d)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.principal()).contains(ACCOUNT + "user/mallory");
            assertThat(f.message()).contains("`" + ACCOUNT + "user/mallory` reaches administrator access in 1 hop",
                    "may call `sts:AssumeRole` on `" + ACCOUNT + "role/ops-admin`", "opened by this change");
        });
    }

    @Test
    void aMembershipIamDoesNotShowYetIsJudgedWithTheGroupsPolicies() {
        // The AWS documentation's record: Alice adds Bob to `admin`; IAM does not list Bob in it yet.
        opsAdmin().group("admin", Map.of("operate", ASSUME_OPS), List.of())
                .user("Bob", Map.of(), List.of(), Optional.empty(), List.of());
        Path corpus = Path.of(Optional.ofNullable(System.getenv("IAM_GUARDRAIL_CORPUS")).filter(s -> !s.isBlank())
                .orElse(System.getProperty("corpus.dir", "../../shared/corpus")));
        Decision d = evaluate(file(corpus.resolve("cloudtrail-iam-events/awsdocs-add-user-to-admin-group.json")));

        assertThat(paths(d)).singleElement().extracting(Finding::message).asString()
                .contains("`" + ACCOUNT + "user/Bob` reaches administrator access",
                        "user Bob is not shown in the group yet: judged with the group's policies added");
    }

    @Test
    void twoGroupsThatEachOpenThePathInOneBatchDoNotHideItFromEachOther() {
        // The attack: add yourself to two groups that each let you assume the admin role, in the same window. IAM is
        // read after both: each event's "before" must leave out the other group too, or the path seems old.
        opsAdmin().group("ops1", Map.of("operate", ASSUME_OPS), List.of())
                .group("ops2", Map.of("operate", ASSUME_OPS), List.of())
                .user("mallory", Map.of(), List.of(), Optional.empty(), List.of("ops1", "ops2"));
        CloudTrailEvent first = addMallory("ops1");
        CloudTrailEvent second = addMallory("ops2");
        EventEvaluator evaluator = new EventEvaluator(iam, GuardrailConfig.defaults(),
                Optional.of(ACCOUNT + "role/iam-guardrail-evaluator"));

        evaluator.batch(List.of(first, second));

        assertThat(paths(evaluator.evaluate(first))).singleElement().extracting(Finding::message).asString()
                .contains("`" + ACCOUNT + "user/mallory` reaches administrator access", "opened by this change");
        assertThat(paths(evaluator.evaluate(second))).hasSize(1);
    }

    private static CloudTrailEvent addMallory(String group) {
        return EventDecoder.decode(Events.json("AddUserToGroup", "{\"groupName\":\"" + group + "\",\"userName\":\"mallory\"}")
                .replace("\"eventID\":\"evt-AddUserToGroup\"", "\"eventID\":\"evt-add-" + group + "\"")
                .getBytes(StandardCharsets.UTF_8)).event().orElseThrow();
    }

    @Test
    void joiningAGroupThatGrantsNothingOnwardOpensNoPath() {
        opsAdmin().group("admins", Map.of("read", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::reports/*\"}]}"), List.of())
                .user("mallory", Map.of(), List.of(), Optional.empty(), List.of("admins"));
        assertThat(paths(evaluate(file(Path.of("../events/add-user-to-group-admins.json"))))).isEmpty();
    }

    @Test
    void aUserWhoCouldAlreadyAssumeTheRoleGainsNoNewPathFromTheGroup() {
        opsAdmin().group("admins", Map.of("operate", ASSUME_OPS), List.of())
                .user("mallory", Map.of("own", ASSUME_OPS), List.of(), Optional.empty(), List.of("admins"));
        assertThat(paths(evaluate(file(Path.of("../events/add-user-to-group-admins.json"))))).isEmpty();
    }

    @Test
    void aGroupPolicyThatLetsMembersAssumeAnAdminRoleOpensAPathForEachMember() {
        opsAdmin().group("platform", Map.of("operate", ASSUME_OPS), List.of())
                .user("dana", Map.of(), List.of(), Optional.empty(), List.of("platform"))
                .user("eve", Map.of(), List.of(), Optional.empty(), List.of("platform"))
                .user("frank", Map.of(), List.of(), Optional.empty(), List.of("billing"));
        Decision d = evaluate(event("PutGroupPolicy", "{\"groupName\":\"platform\",\"policyName\":\"operate\","
                + "\"policyDocument\":" + quoted(ASSUME_OPS) + "}"));

        assertThat(paths(d)).extracting(f -> f.principal().orElseThrow())
                .containsExactly(ACCOUNT + "user/dana", ACCOUNT + "user/eve");
    }

    @Test
    void aGroupWithMoreMembersThanTheBoundSaysTheGraphIsPartial() {
        opsAdmin().group("platform", Map.of("operate", ASSUME_OPS), List.of());
        for (int i = 1; i <= GroupPaths.MAX_MEMBERS + 2; i++) {
            iam.user("dev" + i, Map.of(), List.of(), Optional.empty(), List.of("platform"));
        }
        Decision d = evaluate(event("PutGroupPolicy", "{\"groupName\":\"platform\",\"policyName\":\"operate\","
                + "\"policyDocument\":" + quoted(ASSUME_OPS) + "}"));

        assertThat(paths(d)).hasSize(GroupPaths.MAX_MEMBERS).allSatisfy(f -> assertThat(f.message())
                .contains("partial: group platform has more than " + GroupPaths.MAX_MEMBERS + " members: only the first were judged"));
    }

    @Test
    void deletingAGroupPolicyReportsTheMembersPathsAsPossiblyOpenedSinceItsDocumentIsGone() {
        opsAdmin().group("platform", Map.of("operate", ASSUME_OPS), List.of())
                .user("dana", Map.of(), List.of(), Optional.empty(), List.of("platform"));
        Decision d = evaluate(event("DeleteGroupPolicy", "{\"groupName\":\"platform\",\"policyName\":\"no-ops-admin\"}"));

        assertThat(paths(d)).singleElement().extracting(Finding::message).asString()
                .contains("`" + ACCOUNT + "user/dana` reaches administrator access",
                        "the deleted policy `no-ops-admin` is not known: the path may have been there before");
    }

    @Test
    void detachingAGroupsDenyOpensThePathItHeldBackAndDetachingAnAllowOpensNone() {
        String denyOps = "arn:aws:iam::123456789012:policy/deny-ops-admin";
        opsAdmin().group("platform", Map.of("operate", ASSUME_OPS), List.of())
                .user("dana", Map.of(), List.of(), Optional.empty(), List.of("platform"))
                .policy(denyOps, "v1", ASSUME_OPS.replace("\"Allow\"", "\"Deny\""), true)
                .policy("arn:aws:iam::aws:policy/ReadOnlyAccess", "v1", aws("ReadOnlyAccess"), true);
        Decision deny = evaluate(event("DetachGroupPolicy", "{\"groupName\":\"platform\",\"policyArn\":\"" + denyOps + "\"}"));
        assertThat(paths(deny)).singleElement().extracting(Finding::principal).isEqualTo(Optional.of(ACCOUNT + "user/dana"));

        Decision allow = evaluate(event("DetachGroupPolicy", "{\"groupName\":\"platform\","
                + "\"policyArn\":\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}"));
        assertThat(paths(allow)).isEmpty();
    }

    @Test
    void aTrustThatNowAdmitsTheAccountOnAnAdminRoleNamesEveryPrincipalAllowedToAssumeItAsTheEntry() {
        opsAdmin();
        Decision d = evaluate(event("UpdateAssumeRolePolicy",
                "{\"roleName\":\"ops-admin\",\"policyDocument\":" + quoted(TRUSTS_ACCOUNT) + "}"));

        assertThat(paths(d)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.principal()).contains(ACCOUNT + "role/ops-admin");
            assertThat(f.message()).startsWith("`" + ACCOUNT + "root` may reach administrator access in 1 hop")
                    .contains("the trust admits `" + ACCOUNT + "root`: any principal of account `123456789012` whose own"
                            + " policies allow `sts:AssumeRole` on it", "principals it admits are not listed");
        });
    }

    @Test
    void aTrustThatNowAdmitsAnyoneOnAnAdminRoleIsCritical() {
        iam.role("ops-admin", TRUSTS_ANYONE, Map.of(), List.of(ADMIN_POLICY))
                .policy(ADMIN_POLICY, "v1", aws("AdministratorAccess"), true);
        Decision d = evaluate(event("UpdateAssumeRolePolicy",
                "{\"roleName\":\"ops-admin\",\"policyDocument\":" + quoted(TRUSTS_ANYONE) + "}"));

        assertThat(paths(d)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.message()).startsWith("`*` reaches administrator access in 1 hop")
                    .contains("any AWS principal, of any account,");
        });
    }

    @Test
    void aConditionThatOnlyLooksScopingLeavesATrustOfAnyoneCritical() {
        // A scoping key with a bare wildcard, or one that holds only if present, keeps nobody out.
        for (String condition : List.of("{\"StringLike\":{\"aws:PrincipalArn\":\"*\"}}",
                "{\"StringEqualsIfExists\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}")) {
            String trust = TRUSTS_ANYONE.replace("\"Action\":\"sts:AssumeRole\"", "\"Action\":\"sts:AssumeRole\","
                    + "\"Condition\":" + condition);
            iam.role("ops-admin", trust, Map.of(), List.of(ADMIN_POLICY)).policy(ADMIN_POLICY, "v1", aws("AdministratorAccess"), true);
            Decision d = evaluate(event("UpdateAssumeRolePolicy",
                    "{\"roleName\":\"ops-admin\",\"policyDocument\":" + quoted(trust) + "}"));

            assertThat(paths(d)).as(condition).singleElement().extracting(Finding::severity).isEqualTo(Severity.CRITICAL);
        }
        String scoped = TRUSTS_ANYONE.replace("\"Action\":\"sts:AssumeRole\"", "\"Action\":\"sts:AssumeRole\","
                + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}");
        iam.role("ops-admin", scoped, Map.of(), List.of(ADMIN_POLICY)).policy(ADMIN_POLICY, "v1", aws("AdministratorAccess"), true);
        Decision d = evaluate(event("UpdateAssumeRolePolicy",
                "{\"roleName\":\"ops-admin\",\"policyDocument\":" + quoted(scoped) + "}"));
        assertThat(paths(d)).singleElement().extracting(Finding::severity).isEqualTo(Severity.HIGH);
    }

    @Test
    void anAccountTrustOnARoleWithoutAdministratorAccessOpensNoPath() {
        iam.role("reports", TRUSTS_ACCOUNT, Map.of(), List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"))
                .policy("arn:aws:iam::aws:policy/ReadOnlyAccess", "v1", aws("ReadOnlyAccess"), true);
        Decision d = evaluate(event("UpdateAssumeRolePolicy",
                "{\"roleName\":\"reports\",\"policyDocument\":" + quoted(TRUSTS_ACCOUNT) + "}"));

        assertThat(paths(d)).isEmpty();
    }

    @Test
    void anAccountTrustThatRequiresMfaIsNoEntryForTakenCredentials() {
        String mfa = TRUSTS_ACCOUNT.replace("\"Action\":\"sts:AssumeRole\"", "\"Action\":\"sts:AssumeRole\","
                + "\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}");
        iam.role("ops-admin", mfa, Map.of(), List.of(ADMIN_POLICY)).policy(ADMIN_POLICY, "v1", aws("AdministratorAccess"), true);
        Decision d = evaluate(event("UpdateAssumeRolePolicy",
                "{\"roleName\":\"ops-admin\",\"policyDocument\":" + quoted(mfa) + "}"));

        assertThat(paths(d)).isEmpty();
    }
}
