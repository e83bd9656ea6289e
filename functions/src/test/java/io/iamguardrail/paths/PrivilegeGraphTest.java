package io.iamguardrail.paths;

import io.iamguardrail.config.Severity;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.iamguardrail.paths.Account.ADMIN;
import static io.iamguardrail.paths.Account.allow;
import static io.iamguardrail.paths.Account.deny;
import static io.iamguardrail.paths.Account.q;
import static io.iamguardrail.paths.Account.role;
import static io.iamguardrail.paths.Account.trust;
import static io.iamguardrail.paths.Account.trustsArn;
import static io.iamguardrail.paths.Account.trustsRoot;
import static io.iamguardrail.paths.Account.trustsService;
import static io.iamguardrail.paths.Account.user;
import static org.assertj.core.api.Assertions.assertThat;

/** Paths to administrator access, edge kind by edge kind, each with a fixture that has the path and one that does not. */
class PrivilegeGraphTest {

    private static final String DEPLOY_ADMIN = role("deploy-admin");
    private static final String CI = role("ci-runner");

    private static PrivilegePath only(Account a) {
        List<PrivilegePath> paths = a.paths();
        assertThat(paths).as("paths of the account").hasSize(1);
        return paths.get(0);
    }

    @Nested
    class Assume {
        @Test
        void aRoleThatTrustsTheAccountIsReachedByAPrincipalAllowedToAssumeIt() {
            Account a = new Account().addRole("deploy-admin", trustsRoot()).awsPolicy(DEPLOY_ADMIN, "AdministratorAccess")
                    .addRole("ci-runner", trustsService("codebuild.amazonaws.com"))
                    .inline(CI, allow(q("sts:AssumeRole"), q(DEPLOY_ADMIN)));
            PrivilegePath p = only(a);
            assertThat(p.principal()).isEqualTo(CI);
            assertThat(p.reaches()).isEqualTo(ADMIN);
            assertThat(p.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(p.hops()).singleElement().satisfies(h -> {
                assertThat(h.method()).isEqualTo(Method.ASSUME);
                assertThat(h.to()).isEqualTo(DEPLOY_ADMIN);
                assertThat(h.evidence().policy()).isEqualTo(CI + " inline policy p0");
                assertThat(h.evidence().location()).isEqualTo("/Statement/0");
                assertThat(h.trust()).get().extracting(Evidence::policy).isEqualTo(DEPLOY_ADMIN + " trust policy");
            });
        }

        @Test
        void aTrustThatNamesTheSourceAdmitsItWithoutAnIdentityGrant() {
            Account a = new Account().addRole("deploy-admin", trustsArn(CI)).awsPolicy(DEPLOY_ADMIN, "AdministratorAccess")
                    .addRole("ci-runner", trustsService("codebuild.amazonaws.com"))
                    .inline(CI, allow(q("s3:GetObject"), q("arn:aws:s3:::artifacts/*")));
            assertThat(a.reaching()).containsExactly(CI + " -> admin");
        }

        @Test
        void anIdentityGrantAloneIsNotEnoughWhenTheTrustAdmitsSomeoneElse() {
            Account a = new Account().addRole("deploy-admin", trustsArn(role("release")))
                    .awsPolicy(DEPLOY_ADMIN, "AdministratorAccess")
                    .addRole("ci-runner", trustsService("codebuild.amazonaws.com"))
                    .inline(CI, allow(q("sts:AssumeRole"), q("*")));
            assertThat(a.paths()).isEmpty();
        }

        @Test
        void aTrustOfTheAccountRootNeedsTheIdentityGrant() {
            Account a = new Account().addRole("deploy-admin", trustsRoot()).awsPolicy(DEPLOY_ADMIN, "AdministratorAccess")
                    .addRole("ci-runner", trustsService("codebuild.amazonaws.com"))
                    .inline(CI, allow(q("sts:AssumeRole"), q(role("other-*"))));
            assertThat(a.paths()).isEmpty();
        }

        @Test
        void aTrustOfAnyoneAdmitsEveryPrincipalOfTheAccountAllowedToAssumeTheRoleAndNoOther() {
            // The index of who may call sts:AssumeRole on which ARN finds them: a grant on `role/deploy-*` counts,
            // a grant on another role's ARN does not.
            Account a = new Account().addRole("deploy-admin", trust("\"*\"")).awsPolicy(DEPLOY_ADMIN, "AdministratorAccess")
                    .addRole("ci-runner", trustsService("codebuild.amazonaws.com"))
                    .inline(CI, allow(q("sts:AssumeRole"), q(role("deploy-*"))))
                    .addUser("dev").inline(user("dev"), allow(q("sts:AssumeRole"), q(role("reports"))));
            assertThat(a.reaching()).containsExactly(CI + " -> admin");
        }

        @Test
        void anExplicitDenyOnTheTargetRemovesTheHopEvenWhenTheTrustNamesTheSource() {
            Account a = new Account().addRole("deploy-admin", trustsArn(CI)).awsPolicy(DEPLOY_ADMIN, "AdministratorAccess")
                    .addRole("ci-runner", trustsService("codebuild.amazonaws.com"))
                    .inline(CI, allow(q("sts:AssumeRole"), q("*")))
                    .inline(CI, deny(q("sts:AssumeRole"), q(DEPLOY_ADMIN)));
            assertThat(a.paths()).isEmpty();
        }

        @Test
        void aTrustThatRequiresMfaAdmitsNoTakenCredentials() {
            String mfa = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                    + q("arn:aws:iam::" + Account.ID + ":root") + "},\"Action\":\"sts:AssumeRole\",\"Condition\":"
                    + "{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}}]}";
            Account a = new Account().addRole("deploy-admin", mfa).awsPolicy(DEPLOY_ADMIN, "AdministratorAccess")
                    .addUser("alice").inline(user("alice"), allow(q("sts:AssumeRole"), q(DEPLOY_ADMIN)));
            assertThat(a.paths()).isEmpty();
        }

        @Test
        void anIdentityProviderIsAnEntryPoint() {
            String provider = "arn:aws:iam::" + Account.ID + ":oidc-provider/token.actions.githubusercontent.com";
            String web = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
                    + q(provider) + "},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringLike\":"
                    + "{\"token.actions.githubusercontent.com:sub\":\"repo:example/app:*\"}}}]}";
            Account a = new Account().addRole("github-deploy", web).awsPolicy(role("github-deploy"), "AdministratorAccess");
            PrivilegePath p = only(a);
            assertThat(p.principal()).isEqualTo(provider);
            assertThat(p.hops()).singleElement().satisfies(h -> assertThat(h.evidence().detail())
                    .contains("AssumeRoleWithWebIdentity"));
        }
    }

    @Nested
    class PassRole {
        private final String lambdaAdmin = role("lambda-admin");

        private Account with(String passRole, String adminTrust) {
            return new Account().addRole("lambda-admin", adminTrust).awsPolicy(lambdaAdmin, "AdministratorAccess")
                    .addUser("dev").inline(user("dev"), passRole)
                    .inline(user("dev"), allow("[\"lambda:CreateFunction\",\"lambda:InvokeFunction\"]", q("*")));
        }

        @Test
        void passingAnAdminRoleToANewFunctionIsAPath() {
            PrivilegePath p = only(with(allow(q("iam:PassRole"), q(lambdaAdmin)), trustsService("lambda.amazonaws.com")));
            assertThat(p.hops()).singleElement().satisfies(h -> {
                assertThat(h.method()).isEqualTo(Method.PASS_ROLE);
                assertThat(h.evidence().detail()).contains("lambda-passrole-create-function-invoke");
            });
        }

        @Test
        void theRoleMustTrustTheServiceItIsPassedTo() {
            assertThat(with(allow(q("iam:PassRole"), q(lambdaAdmin)), trustsService("ec2.amazonaws.com")).paths()).isEmpty();
        }

        @Test
        void passedToServiceLimitsTheGrantToTheServicesItNames() {
            String toEc2 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\","
                    + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"ec2.amazonaws.com\"}}}]}";
            assertThat(with(toEc2, trustsService("lambda.amazonaws.com")).paths()).isEmpty();
            String toLambda = toEc2.replace("ec2.amazonaws.com", "lambda.amazonaws.com");
            assertThat(with(toLambda, trustsService("lambda.amazonaws.com")).reaching()).containsExactly(user("dev") + " -> admin");
        }

        @Test
        void withoutTheComputeCallsPassRoleLeadsNowhere() {
            Account a = new Account().addRole("lambda-admin", trustsService("lambda.amazonaws.com"))
                    .awsPolicy(lambdaAdmin, "AdministratorAccess")
                    .addUser("dev").inline(user("dev"), allow(q("iam:PassRole"), q("*")));
            assertThat(a.paths()).isEmpty();
        }
    }

    @Nested
    class Modify {
        @Test
        void aNewVersionOfAPolicyThePrincipalHoldsIsAdministratorAccess() {
            String tools = Account.policyArn("team-tools");
            Account a = new Account().addUser("dev").managed(user("dev"), "team-tools",
                    allow("[\"iam:CreatePolicyVersion\",\"iam:GetPolicy\"]", q(tools)));
            PrivilegePath p = only(a);
            assertThat(p.reaches()).isEqualTo(ADMIN);
            assertThat(p.hops()).singleElement().satisfies(h -> {
                assertThat(h.method()).isEqualTo(Method.MODIFY);
                assertThat(h.evidence().detail()).contains("new default version of `" + tools + "`");
            });
        }

        @Test
        void aNewVersionOfAPolicyOnlyOthersHoldIsNoPathForItsAuthor() {
            String tools = Account.policyArn("app-policy");
            Account a = new Account().addRole("app", trustsService("lambda.amazonaws.com"))
                    .managed(role("app"), "app-policy", allow(q("s3:GetObject"), q("arn:aws:s3:::data/*")))
                    .addUser("dev").inline(user("dev"), allow(q("iam:CreatePolicyVersion"), q(tools)));
            assertThat(a.paths()).isEmpty();
        }

        @Test
        void rewritingATrustActsAsTheRole() {
            Account a = new Account().addRole("deploy-admin", trustsService("cloudformation.amazonaws.com"))
                    .awsPolicy(DEPLOY_ADMIN, "AdministratorAccess")
                    .addRole("ci-runner", trustsService("codebuild.amazonaws.com"))
                    .inline(CI, allow(q("iam:UpdateAssumeRolePolicy"), q(role("deploy-*"))));
            PrivilegePath p = only(a);
            assertThat(p.hops()).extracting(Hop::method, Hop::to).containsExactly(org.assertj.core.groups.Tuple.tuple(
                    Method.MODIFY, DEPLOY_ADMIN));
        }

        @Test
        void attachingAPolicyToARoleItMayAssumeIsAdministratorAccess() {
            String app = role("app");
            Account a = new Account().addRole("app", trustsRoot())
                    .inline(app, allow(q("s3:ListBucket"), q("arn:aws:s3:::data")))
                    .addUser("dev").inline(user("dev"), allow("[\"sts:AssumeRole\",\"iam:AttachRolePolicy\"]", q(app)));
            PrivilegePath p = only(a);
            assertThat(p.hops()).extracting(Hop::method).containsExactly(Method.MODIFY);
            assertThat(p.hops().get(0).evidence().detail()).contains("which it reaches by assume");
        }

        @Test
        void iamFullAccessGivesItselfAnything() {
            Account a = new Account().addUser("admin-ops").awsPolicy(user("admin-ops"), "IAMFullAccess");
            assertThat(a.reaching()).containsExactly(user("admin-ops") + " -> admin");
        }

        @Test
        void joiningAnAdministratorsGroupIsAPath() {
            Account a = new Account().addGroup("admins").awsPolicy(Account.groupArn("admins"), "AdministratorAccess")
                    .addUser("dev").inline(user("dev"), allow(q("iam:AddUserToGroup"), q(Account.groupArn("admins"))));
            PrivilegePath p = only(a);
            assertThat(p.hops()).extracting(Hop::to).containsExactly(Account.groupArn("admins"));
        }

        @Test
        void removingABoundaryThatAloneHoldsBackAnAdministratorIsAPath() {
            String app = role("app");
            Account a = new Account().addRole("app", trustsService("ec2.amazonaws.com")).awsPolicy(app, "AdministratorAccess")
                    .boundary(app, allow("[\"s3:*\",\"iam:DeleteRolePermissionsBoundary\"]", q("*")));
            assertThat(a.reaching()).containsExactly(app + " -> admin");
        }
    }

    @Nested
    class Credentials {
        @Test
        void anAccessKeyForAnAdministratorIsAPath() {
            Account a = new Account().addUser("root-ops").awsPolicy(user("root-ops"), "AdministratorAccess")
                    .addUser("helpdesk").inline(user("helpdesk"), allow("[\"iam:CreateAccessKey\",\"iam:ListUsers\"]", q("*")));
            PrivilegePath p = only(a);
            assertThat(p.hops()).extracting(Hop::method, Hop::to).containsExactly(org.assertj.core.groups.Tuple.tuple(
                    Method.CREDENTIALS, user("root-ops")));
        }

        @Test
        void keysForOnesOwnUserOnlyAreNoPath() {
            Account a = new Account().addUser("root-ops").awsPolicy(user("root-ops"), "AdministratorAccess")
                    .addUser("dev").inline(user("dev"), allow(q("iam:CreateAccessKey"), q("arn:aws:iam::*:user/${aws:username}")));
            assertThat(a.paths()).isEmpty();
        }
    }

    @Nested
    class Runtime {
        @Test
        void commandsOnInstancesThatMayHoldAnAdminRoleArePotential() {
            Account a = new Account().addRole("ec2-admin", trustsService("ec2.amazonaws.com"))
                    .awsPolicy(role("ec2-admin"), "AdministratorAccess")
                    .addUser("operator").awsPolicy(user("operator"), "AmazonSSMFullAccess");
            PrivilegePath p = only(a);
            assertThat(p.severity()).isEqualTo(Severity.HIGH);
            assertThat(p.potential()).isTrue();
            assertThat(p.hops()).extracting(Hop::method).containsExactly(Method.RUNTIME);
        }

        @Test
        void noSessionRightsNoRuntimeHop() {
            Account a = new Account().addRole("ec2-admin", trustsService("ec2.amazonaws.com"))
                    .awsPolicy(role("ec2-admin"), "AdministratorAccess")
                    .addUser("viewer").awsPolicy(user("viewer"), "AmazonSSMReadOnlyAccess");
            assertThat(a.paths()).isEmpty();
        }
    }

    @Nested
    class Chains {
        private final String start = role("start");
        private final String middle = role("intermediate");
        private final String target = role("admin-role");

        private Account chain(String middleTrust) {
            return new Account().addRole("start", trustsService("ec2.amazonaws.com"))
                    .inline(start, allow(q("sts:AssumeRole"), q(middle)))
                    .addRole("intermediate", middleTrust)
                    .inline(middle, allow("[\"iam:PassRole\"]", q(target)))
                    .inline(middle, allow("[\"lambda:CreateFunction\",\"lambda:InvokeFunction\"]", q("*")))
                    .addRole("admin-role", trustsService("lambda.amazonaws.com")).awsPolicy(target, "AdministratorAccess");
        }

        @Test
        void startRoleToIntermediateToAdminRoleIsNamedHopByHop() {
            List<PrivilegePath> paths = chain(trustsArn(start)).paths();
            assertThat(paths).extracting(PrivilegePath::principal).containsExactly(middle, start);
            PrivilegePath p = paths.get(1);
            assertThat(p.hops()).extracting(Hop::from, Hop::method, Hop::to).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(start, Method.ASSUME, middle),
                    org.assertj.core.groups.Tuple.tuple(middle, Method.PASS_ROLE, target));
            assertThat(p.chain()).isEqualTo(start + " -[assume]-> " + middle + " -[pass-role]-> " + target);
        }

        @Test
        void noPathThroughARoleWhoseTrustDoesNotAdmitThePreviousHop() {
            List<PrivilegePath> paths = chain(trustsArn(role("someone-else"))).paths();
            assertThat(paths).extracting(PrivilegePath::principal).containsExactly(middle);
        }

        @Test
        void aBoundaryOnAHopRemovesThePath() {
            Account a = chain(trustsArn(start)).boundary(middle, allow("[\"s3:*\",\"lambda:*\"]", q("*")));
            assertThat(a.paths()).isEmpty();
        }

        @Test
        void aDenyOnAHopRemovesThePath() {
            Account a = chain(trustsArn(start)).inline(middle, deny(q("iam:PassRole"), q(role("admin-*"))));
            assertThat(a.paths()).isEmpty();
        }

        @Test
        void threeHopsFromAUserThroughTwoRolesToAnAdminRole() {
            String dev = user("dev");
            Account a = new Account().addUser("dev").inline(dev, allow(q("sts:AssumeRole"), q(role("start"))))
                    .addRole("start", trustsRoot()).inline(role("start"), allow(q("sts:AssumeRole"), q(role("intermediate"))))
                    .addRole("intermediate", trust("{\"AWS\":" + q(role("start")) + "}"))
                    .inline(role("intermediate"), allow("[\"iam:PassRole\",\"lambda:CreateFunction\",\"lambda:InvokeFunction\"]", q("*")))
                    .addRole("admin-role", trustsService("lambda.amazonaws.com")).awsPolicy(role("admin-role"), "AdministratorAccess");
            PrivilegePath p = a.paths().stream().filter(x -> x.principal().equals(dev)).findFirst().orElseThrow();
            assertThat(p.hops()).extracting(Hop::to).containsExactly(role("start"), role("intermediate"), role("admin-role"));
        }

        @Test
        void aPrincipalWithACriticalFindingIsAnEndToo() {
            Account a = new Account().addRole("start", trustsService("ec2.amazonaws.com"))
                    .inline(start, allow(q("sts:AssumeRole"), q(middle)))
                    .addRole("intermediate", trustsArn(start)).inline(middle, allow(q("s3:*"), q("*")));
            PrivilegePath p = a.graph().paths(List.of(middle)).get(0);
            assertThat(p.reaches()).isEqualTo(middle);
            assertThat(p.severity()).isEqualTo(Severity.HIGH);
        }
    }
}
