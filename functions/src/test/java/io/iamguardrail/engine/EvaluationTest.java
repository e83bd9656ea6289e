package io.iamguardrail.engine;

import io.iamguardrail.Policies;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.iamguardrail.Policies.check;
import static io.iamguardrail.Policies.findings;
import static io.iamguardrail.Policies.ruleIds;
import static io.iamguardrail.Policies.together;
import static org.assertj.core.api.Assertions.assertThat;

/** Evaluation semantics, not string matching. */
class EvaluationTest {

    private static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AllowAll\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    @Test
    void adminAccessIsNamedAtItsStatement() {
        Report r = check(ALLOW_ALL);
        Finding f = findings(r, "ADMIN_ACCESS").get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.message()).isEqualTo("statement `AllowAll` (#1) allows every action on all resources: administrator access");
        assertThat(f.location().pointer()).isEqualTo("/Statement/0/Action");
        assertThat(ruleIds(r)).containsExactly("ADMIN_ACCESS");
        assertThat(r.suppressed()).extracting(Report.Suppressed::reason).containsOnly("implied by ADMIN_ACCESS");
    }

    @Test
    void starColonStarAndATinyNotActionAreAdminToo() {
        assertThat(ruleIds(check("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*:*\",\"Resource\":\"*\"}]}"))).contains("ADMIN_ACCESS");
        // Administrator access in effect: one CRITICAL finding that says so, not a NotAction finding plus a list.
        Report notAction = check("{\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"cloudtrail:*\",\"Resource\":\"*\"}]}");
        assertThat(ruleIds(notAction)).containsExactly("ADMIN_ACCESS");
        assertThat(findings(notAction, "ADMIN_ACCESS").get(0).message()).matches(
                "statement #1 allows [0-9,]+ of [0-9,]+ actions on all resources, including every IAM write: administrator access in effect");
        assertThat(notAction.suppressed()).extracting(x -> x.finding().ruleId()).contains("ALLOW_WITH_NOT_ACTION");
        assertThat(ruleIds(check("{\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\",\"organizations:*\"],\"Resource\":\"*\"}]}")))
                .doesNotContain("ADMIN_ACCESS").contains("ALLOW_WITH_NOT_ACTION", "PRIVILEGE_ESCALATION");
    }

    @Test
    void explicitDenyRemovesWhatItCovers() {
        Report r = check("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}");
        assertThat(ruleIds(r)).doesNotContain("PRIVILEGE_ESCALATION", "PERMISSIONS_MANAGEMENT", "PASSROLE_UNRESTRICTED",
                "SERVICE_WILDCARD", "CREDENTIALS_EXPOSURE");
    }

    @Test
    void aDenyOfOneActionLeavesTheRest() {
        Report r = check("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}");
        assertThat(ruleIds(r)).doesNotContain("PASSROLE_UNRESTRICTED").contains("PRIVILEGE_ESCALATION");
    }

    @Test
    void restrictiveConditionsLowerSeverityAndSaySo() {
        Report r = check("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
                + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}}]}");
        Finding f = findings(r, "ADMIN_ACCESS").get(0);
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.lowered()).contains("restricted by condition `aws:SourceIp` (IpAddress)");
        assertThat(f.message()).endsWith("(restricted by condition `aws:SourceIp` (IpAddress), so high rather than critical)");
    }

    @Test
    void conditionsThatDoNotNarrowAccessNeverLowerSeverity() {
        Report r = check("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"},\"StringEquals\":{\"aws:RequestedRegion\":\"eu-west-1\"}}}]}");
        assertThat(findings(r, "ADMIN_ACCESS").get(0).severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void passRoleWithPassedToServiceIsNotUnrestricted() {
        assertThat(ruleIds(check("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}")))
                .contains("PASSROLE_UNRESTRICTED");
        assertThat(ruleIds(check("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"lambda.amazonaws.com\"}}}]}")))
                .doesNotContain("PASSROLE_UNRESTRICTED");
        assertThat(ruleIds(check("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:Pass*\",\"NotResource\":\"arn:aws:iam::123456789012:role/admin\"}]}")))
                .contains("PASSROLE_UNRESTRICTED", "ALLOW_WITH_NOT_RESOURCE");
    }

    @Test
    void twoHarmlessLookingPoliciesTogetherEscalate() {
        String passRole = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"lambda.amazonaws.com\"}}}]}";
        String lambda = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"lambda:CreateFunction\",\"lambda:InvokeFunction\"],\"Resource\":\"*\"}]}";
        assertThat(ruleIds(check(passRole))).doesNotContain("PRIVILEGE_ESCALATION");
        assertThat(ruleIds(check(lambda))).doesNotContain("PRIVILEGE_ESCALATION");
        Report both = together(passRole, lambda);
        List<Finding> esc = findings(both, "PRIVILEGE_ESCALATION");
        assertThat(esc).isNotEmpty();
        assertThat(esc.get(0).message()).startsWith("policies `p1.json` and `p2.json` together allow privilege escalation by")
                .contains("lambda-passrole-create-function-invoke");
        assertThat(esc.get(0).related()).isNotEmpty();
    }

    @Test
    void aDenyInAnotherPolicyOfThePrincipalRemovesTheRisk() {
        String allow = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}";
        String deny = "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}";
        Report r = together(allow, deny);
        assertThat(ruleIds(r)).doesNotContain("PASSROLE_UNRESTRICTED");
        assertThat(r.suppressed()).extracting(s -> s.finding().ruleId()).contains("PASSROLE_UNRESTRICTED");
    }

    @Test
    void thePermissionsBoundaryLimitsWhatIsEffective() {
        SourcedPolicy admin = Policies.policy("admin.json", ALLOW_ALL);
        SourcedPolicy boundaryDoc = Policies.policy("boundary.json",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"*\"}]}");
        SourcedPolicy boundary = new SourcedPolicy(boundaryDoc.source(), boundaryDoc.name(), SourcedPolicy.Origin.BOUNDARY, boundaryDoc.parsed());
        Report r = Policies.engine().evaluate(new Subject("role", Optional.of("role/app"), Subject.Type.ROLE,
                Optional.empty(), List.of(admin), Optional.of(boundary)));
        assertThat(ruleIds(r)).doesNotContain("ADMIN_ACCESS").contains("DATA_EXFILTRATION");
        assertThat(r.suppressed()).extracting(s -> s.finding().ruleId()).contains("ADMIN_ACCESS");
    }

    @Test
    void configurationChangesSeverityDisablesAndExempts() throws Exception {
        GuardrailConfig config = new ConfigLoader(Rules.ids()).load("""
                rules:
                  ADMIN_ACCESS: { severity: LOW }
                  PASSROLE_UNRESTRICTED: { enabled: false }
                exemptions:
                  - principal: "role/break-*"
                    rules: [PRIVILEGE_ESCALATION]
                    reason: break-glass role
                    expires: 2030-01-01
                """, "test.yaml");
        Clock clock = Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC);
        Engine engine = Rules.engine().config(config).clock(clock).build();
        assertThat(findings(Policies.check(engine, ALLOW_ALL), "ADMIN_ACCESS").get(0).severity()).isEqualTo(Severity.LOW);
        String iam = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}";
        assertThat(ruleIds(Policies.check(engine, iam))).doesNotContain("PASSROLE_UNRESTRICTED").contains("PRIVILEGE_ESCALATION");
        Report exempt = engine.evaluate(new Subject("x", Optional.of("role/break-glass"), Subject.Type.ROLE, Optional.empty(),
                List.of(Policies.policy("iam.json", iam)), Optional.empty()));
        assertThat(ruleIds(exempt)).doesNotContain("PRIVILEGE_ESCALATION");
        assertThat(exempt.suppressed()).extracting(Report.Suppressed::reason).contains("exempted: break-glass role");
        Engine later = Rules.engine().config(config).clock(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC)).build();
        assertThat(ruleIds(later.evaluate(new Subject("x", Optional.of("role/break-glass"), Subject.Type.ROLE, Optional.empty(),
                List.of(Policies.policy("iam.json", iam)), Optional.empty())))).contains("PRIVILEGE_ESCALATION");
    }

    @Test
    void aRuleThatThrowsBecomesAnEngineErrorAndTheRunGoesOn() {
        DocumentRule broken = new DocumentRule() {
            @Override
            public RuleMetadata metadata() {
                return new RuleMetadata("BROKEN_RULE", Severity.LOW, "permission", "t", "r", "f", List.of());
            }

            @Override
            public void check(SourcedPolicy policy, PolicyDocument document, Subject subject, RuleContext ctx) {
                throw new IllegalStateException("boom");
            }
        };
        List<Rule> rules = new ArrayList<>(Rules.all());
        rules.add(0, broken);
        Engine engine = Rules.engine().rules(rules).build();
        Report r = Policies.check(engine, ALLOW_ALL);
        assertThat(ruleIds(r)).contains("ENGINE_ERROR", "ADMIN_ACCESS");
        Finding error = findings(r, "ENGINE_ERROR").get(0);
        assertThat(error.key()).contains("BROKEN_RULE");
        assertThat(error.message()).isEqualTo("rule `BROKEN_RULE` failed on this input: IllegalStateException: boom");
        assertThat(r.rulesFailed()).containsExactly("BROKEN_RULE");
    }

    @Test
    void unknownActionsOfferTheClosestName() {
        Finding f = findings(check("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PasRole\",\"Resource\":\"*\"}]}"), "UNKNOWN_ACTION").get(0);
        assertThat(f.message()).isEqualTo("statement #1 names `iam:PasRole`, which matches no known action of `iam`; did you mean `iam:PassRole`?");
        Finding s = findings(check("{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s4:GetObject\",\"Resource\":\"*\"}]}"), "UNKNOWN_SERVICE").get(0);
        assertThat(s.message()).isEqualTo("statement #1 names `s4:GetObject`, but `s4` is not a known service prefix; did you mean `s3:GetObject`?");
    }

    @Test
    void trustPoliciesAreJudgedAgainstTheOwnAccount() throws Exception {
        String trust = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::111122223333:root\",\"444455556666\"]},\"Action\":\"sts:AssumeRole\"}]}";
        Engine engine = Rules.engine().config(GuardrailConfig.defaults().withAccountId("111122223333")).build();
        Report r = Policies.check(engine, trust);
        assertThat(findings(r, "TRUST_EXTERNAL_ACCOUNT")).extracting(Finding::message)
                .containsExactly("statement #1 lets any principal of account `444455556666` assume the role, and `444455556666` is not a trusted account");
        assertThat(findings(r, "TRUST_ACCOUNT_ROOT")).hasSize(1);
        assertThat(findings(r, "TRUST_MISSING_EXTERNAL_ID")).hasSize(1);
    }

    @Test
    void githubOidcTrustNeedsASubject() {
        String open = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com\"},"
                + "\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"token.actions.githubusercontent.com:aud\":\"sts.amazonaws.com\"}}}]}";
        Finding f = findings(check(open), "TRUST_OIDC_UNSCOPED").get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        String scoped = open.replace("\"StringEquals\":{", "\"StringEquals\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme/api:ref:refs/heads/main\",");
        assertThat(ruleIds(check(scoped))).doesNotContain("TRUST_OIDC_UNSCOPED");
        String org = open.replace("\"StringEquals\":{", "\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme/*\"},\"StringEquals\":{");
        assertThat(findings(check(org), "TRUST_OIDC_UNSCOPED").get(0).severity()).isEqualTo(Severity.HIGH);
        String any = open.replace("\"StringEquals\":{", "\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"repo:*\"},\"StringEquals\":{");
        assertThat(findings(check(any), "TRUST_OIDC_UNSCOPED").get(0).severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void everyIamWriteTogetherWithAComputeServiceIsAdministratorAccessInEffect() {
        Report r = check("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:*\",\"ec2:*\",\"s3:*\"],\"Resource\":\"*\"}]}");
        assertThat(ruleIds(r)).contains("ADMIN_ACCESS").doesNotContain("SERVICE_WILDCARD", "PRIVILEGE_ESCALATION");
        Finding f = findings(r, "ADMIN_ACCESS").get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.message()).contains("every IAM write", "every `ec2` action", "administrator access in effect");
        // IAM alone is an escalation path, named as such; compute without IAM writes is not administrator access.
        assertThat(ruleIds(check("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}")))
                .doesNotContain("ADMIN_ACCESS").contains("PRIVILEGE_ESCALATION");
        assertThat(ruleIds(check("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:Get*\",\"iam:List*\",\"ec2:*\",\"lambda:*\"],\"Resource\":\"*\"}]}")))
                .doesNotContain("ADMIN_ACCESS");
    }
}
