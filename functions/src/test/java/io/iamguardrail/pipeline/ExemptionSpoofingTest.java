package io.iamguardrail.pipeline;

import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.remediation.DeleteInlinePolicy;
import io.iamguardrail.remediation.Plan;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.rules.Rules;
import io.iamguardrail.state.PrincipalRef;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.EventEvaluatorTest.ADMIN;
import static io.iamguardrail.pipeline.EventEvaluatorTest.LAMBDA_TRUST;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exemptions tried the way an attacker inside the account would: name what they control (a policy, an event id, the
 * response of a forged event) like the exempt principal, and expect the alert and the remediation anyway. The real
 * exempt principal stays exempt.
 */
class ExemptionSpoofingTest {

    static final String EXEMPT_ROLE = "arn:aws:iam::123456789012:role/ops-breakglass";
    /** Every way a configuration may name the break-glass role: ARN, name, path pattern, account pattern. */
    static final String CONFIG = """
            mode: REMEDIATE
            exemptions:
              - principal: "%s"
                rules: ["*"]
                reason: audited break-glass role (ARN)
                expires: 2099-12-31
              - principal: ops-breakglass
                rules: ["*"]
                reason: audited break-glass role (name)
                expires: 2099-12-31
              - principal: "*123456789012:role/ops-breakglass"
                rules: ["*"]
                reason: audited break-glass role (account pattern)
                expires: 2099-12-31
            remediation:
              breakGlassPrincipals: ["%s", ops-breakglass]
              quarantinePolicyArn: arn:aws:iam::123456789012:policy/iam-guardrail-quarantine
            """.formatted(EXEMPT_ROLE, EXEMPT_ROLE);

    final FakeIamState iam = new FakeIamState().role("app", LAMBDA_TRUST, Map.of(), List.of())
            .role("ops-breakglass", LAMBDA_TRUST, Map.of(), List.of())
            .policy("arn:aws:iam::123456789012:policy/ops-breakglass", "v1", ADMIN, true);

    static GuardrailConfig config() throws Exception {
        return new ConfigLoader(Rules.configurableIds()).load(CONFIG, "config.yaml");
    }

    Decision evaluate(CloudTrailEvent e) throws Exception {
        return new EventEvaluator(iam, config(), Optional.empty()).evaluate(e);
    }

    Plan plan(Decision d) throws Exception {
        return new Planner(config(), Clock.systemUTC()).plan(d);
    }

    static List<String> rules(Decision d) {
        return d.findings().stream().map(Finding::ruleId).toList();
    }

    @Test
    void anInlineAdminPolicyNamedOpsBreakglassOnAnOrdinaryRoleAlertsAndIsDeletedWhateverThePattern() throws Exception {
        iam.role("app", LAMBDA_TRUST, Map.of("ops-breakglass", ADMIN), List.of());
        CloudTrailEvent put = Events.event("PutRolePolicy", "{\"roleName\":\"app\",\"policyName\":\"ops-breakglass\","
                + "\"policyDocument\":" + quoted(ADMIN) + "}");
        // Patterns that match the alert's target `role app inline policy ops-breakglass` but not the role.
        for (String pattern : List.of("ops-breakglass", EXEMPT_ROLE, "r*-breakglass", "role app inline policy *",
                "*123456789012*ops-breakglass", "*/ops-breakglass/*")) {
            GuardrailConfig c = new ConfigLoader(Rules.configurableIds()).load("""
                    mode: REMEDIATE
                    exemptions:
                      - principal: "%s"
                        rules: ["*"]
                        reason: break-glass
                        expires: 2099-12-31
                    remediation:
                      breakGlassPrincipals: ["%s"]
                    """.formatted(pattern, pattern), "config.yaml");
            Decision d = new EventEvaluator(iam, c, Optional.empty()).evaluate(put);

            assertThat(d.verdict()).as(pattern).isEqualTo(Verdict.ALERT);
            assertThat(rules(d)).as(pattern).contains("ADMIN_ACCESS");
            assertThat(d.target()).hasValue("role app inline policy ops-breakglass");
            Plan p = new Planner(c, Clock.systemUTC()).plan(d);
            assertThat(p.reason()).as(pattern).isEmpty();
            assertThat(p.actions()).as(pattern).containsExactly(new DeleteInlinePolicy(
                    new PrincipalRef(PrincipalRef.Kind.ROLE, "app"), "ops-breakglass"));
        }
    }

    @Test
    void aCustomerPolicyNamedLikeTheExemptRoleExemptsNeitherItselfNorTheRoleItIsAttachedTo() throws Exception {
        String policy = "arn:aws:iam::123456789012:policy/ops-breakglass";
        Decision created = evaluate(Events.event("CreatePolicy", "{\"policyName\":\"ops-breakglass\",\"policyDocument\":"
                + quoted(ADMIN) + "}"));
        assertThat(rules(created)).contains("ADMIN_ACCESS");

        iam.role("app", LAMBDA_TRUST, Map.of(), List.of(policy));
        Decision attached = evaluate(Events.event("AttachRolePolicy", "{\"roleName\":\"app\",\"policyArn\":\"" + policy + "\"}"));
        assertThat(attached.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(rules(attached)).contains("ADMIN_ACCESS");
        assertThat(plan(attached).actions()).hasSize(1);
    }

    @Test
    void anEventIdNamedLikeTheExemptRoleExemptsNothing() throws Exception {
        String json = Events.json("CreateAccessKey", "{\"userName\":\"bob\"}")
                .replace("\"eventID\":\"evt-CreateAccessKey\"", "\"eventID\":\"ops-breakglass\"");
        CloudTrailEvent e = EventDecoder.decode(json.getBytes(StandardCharsets.UTF_8)).event().orElseThrow();
        assertThat(e.eventId()).isEqualTo("ops-breakglass");

        assertThat(rules(evaluate(e))).contains("ACCESS_KEY_FOR_OTHER_USER");
    }

    @Test
    void aForgedResponseNamingTheExemptRoleDoesNotExemptTheRoleReallyCreated() throws Exception {
        String anyone = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"sts:AssumeRole\"}]}";
        iam.role("evil", anyone, Map.of(), List.of());
        String json = Events.json("CreateRole", "{\"roleName\":\"evil\",\"assumeRolePolicyDocument\":" + quoted(anyone) + "}")
                .replace("\"responseElements\":null", "\"responseElements\":{\"role\":{\"roleName\":\"evil\",\"path\":\"/\","
                        + "\"arn\":\"" + EXEMPT_ROLE + "\"}}");
        Decision d = evaluate(EventDecoder.decode(json.getBytes(StandardCharsets.UTF_8)).event().orElseThrow());

        assertThat(rules(d)).contains("TRUST_ANY_PRINCIPAL");
        assertThat(d.findings()).allSatisfy(f -> assertThat(f.principal().orElse("")).doesNotContain("ops-breakglass"));
        Plan p = plan(d);
        assertThat(p.reason()).isEmpty();
        assertThat(p.principalArn()).hasValue("arn:aws:iam::123456789012:role/evil");
        assertThat(p.actions()).hasSize(1);
    }

    @Test
    void theRealBreakGlassRoleIsStillExemptAndNeverRemediated() throws Exception {
        iam.role("ops-breakglass", LAMBDA_TRUST, Map.of("all", ADMIN), List.of());
        Decision d = evaluate(Events.event("PutRolePolicy", "{\"roleName\":\"ops-breakglass\",\"policyName\":\"all\","
                + "\"policyDocument\":" + quoted(ADMIN) + "}"));

        assertThat(rules(d)).doesNotContain("ADMIN_ACCESS");
        assertThat(d.verdict()).isEqualTo(Verdict.NO_ALERT);

        // And were a finding to call for an action on it, the rails refuse it by its ARN or its name.
        Decision unexempted = new EventEvaluator(iam, GuardrailConfig.defaults(), Optional.empty()).evaluate(
                Events.event("PutRolePolicy", "{\"roleName\":\"ops-breakglass\",\"policyName\":\"all\",\"policyDocument\":"
                        + quoted(ADMIN) + "}"));
        assertThat(plan(unexempted).reason()).hasValueSatisfying(r -> assertThat(r).startsWith("break-glass principal:"));
    }
}
