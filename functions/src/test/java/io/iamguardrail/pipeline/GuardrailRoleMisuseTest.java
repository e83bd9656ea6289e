package io.iamguardrail.pipeline;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.remediation.OwnChange;
import io.iamguardrail.remediation.OwnChanges;
import io.iamguardrail.remediation.RecordingIamPort;
import io.iamguardrail.state.PrincipalRef;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.EventEvaluatorTest.ADMIN;
import static io.iamguardrail.pipeline.EventEvaluatorTest.LAMBDA_TRUST;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guardrail's role used by something other than the guardrail, tried as an attacker would: a function created
 * with the role (iam:PassRole + lambda:CreateFunction) rewrites a trust policy, detaches a Deny, or repeats a write
 * the guardrail made. The loop guard skips only the writes the guardrail recorded, once each.
 */
class GuardrailRoleMisuseTest {

    static final String EVALUATOR = "arn:aws:iam::123456789012:role/guardrail-evaluator";
    static final String AUDIT = "arn:aws:iam::123456789012:role/guardrail-audit";
    static final String ANYONE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}";

    private final FakeIamState iam = new FakeIamState();
    private Instant now = Instant.parse("2026-11-28T15:01:00Z");
    private final OwnChanges own = OwnChanges.inMemory(new Clock() {
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    });
    private final EventEvaluator evaluator = new EventEvaluator(iam, GuardrailConfig.defaults(),
            GuardrailIdentity.of(Optional.of(EVALUATOR), Optional.of(EVALUATOR + "," + AUDIT), own));

    /** The event as CloudTrail records a call made with a session of {@code role}. */
    static CloudTrailEvent as(String role, String eventName, String requestParameters) {
        String json = Events.json(eventName, requestParameters)
                .replace("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123", role)
                .replace("assumed-role/AWSReservedSSO_Admin_0123/alice@example.com",
                        "assumed-role/" + role.substring(role.lastIndexOf('/') + 1) + "/rogue-function");
        return EventDecoder.decode(json.getBytes(StandardCharsets.UTF_8)).event().orElseThrow();
    }

    private static String trustOf(String role, String doc) {
        return "{\"roleName\":\"" + role + "\",\"policyDocument\":" + quoted(doc) + "}";
    }

    @Test
    void aTrustRewriteWithTheGuardrailsRoleThatItDidNotRecordIsCriticalMisuse() {
        iam.role("prod-admin", ANYONE, Map.of("all", ADMIN), List.of());
        Decision d = evaluator.evaluate(as(EVALUATOR, "UpdateAssumeRolePolicy", trustOf("prod-admin", ANYONE)));
        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(d.findings()).anySatisfy(f -> {
            assertThat(f.ruleId()).isEqualTo("GUARDRAIL_ROLE_MISUSE");
            assertThat(f.severity().name()).isEqualTo("CRITICAL");
            assertThat(f.message()).isEqualTo("`UpdateAssumeRolePolicy` was called with the guardrail's role `" + EVALUATOR
                    + "`, but the guardrail recorded no such change");
        });
        assertThat(d.findings()).anyMatch(f -> f.ruleId().equals("TRUST_ANY_PRINCIPAL"));
    }

    @Test
    void aDetachWithTheGuardrailsRoleIsJudgedNotRecordedAsAReduction() {
        Decision d = evaluator.evaluate(as(EVALUATOR, "DetachRolePolicy",
                "{\"roleName\":\"app\",\"policyArn\":\"arn:aws:iam::123456789012:policy/deny-prod-writes\"}"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(d.findings()).extracting(f -> f.ruleId()).contains("GUARDRAIL_ROLE_MISUSE");
    }

    @Test
    void anyOtherRoleOfTheStackMakingAChangeIsMisuseToo() {
        iam.role("app", LAMBDA_TRUST, Map.of(), List.of());
        Decision d = evaluator.evaluate(as(AUDIT, "CreateAccessKey", "{\"userName\":\"bob\"}"));
        assertThat(d.findings()).extracting(f -> f.ruleId()).contains("GUARDRAIL_ROLE_MISUSE");
    }

    @Test
    void aRecordedWriteIsSkippedOnceAndARepeatOfItIsMisuse() {
        iam.role("app", LAMBDA_TRUST, Map.of(), List.of());
        FakeIamPort port = new FakeIamPort().principal(PrincipalRef.Kind.ROLE, "app", "/");
        port.attached.get(new PrincipalRef(PrincipalRef.Kind.ROLE, "app")).add("arn:aws:iam::aws:policy/AdministratorAccess");
        new RecordingIamPort(port, own).detachPolicy(new PrincipalRef(PrincipalRef.Kind.ROLE, "app"),
                "arn:aws:iam::aws:policy/AdministratorAccess");
        CloudTrailEvent detach = as(EVALUATOR, "DetachRolePolicy",
                "{\"roleName\":\"app\",\"policyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}");
        assertThat(evaluator.evaluate(detach).reason()).isEqualTo("the guardrail's own change (loop guard)");
        // A redelivery (or a replay) of that same event stays the guardrail's own change: replayed, it must never
        // be "undone" as a misuse (that would take the guardrail's own quarantine off).
        assertThat(evaluator.evaluate(detach).reason()).isEqualTo("the guardrail's own change (loop guard)");
        // The same call made again, by anyone, is another event: the record is spent.
        CloudTrailEvent again = EventDecoder.decode(Events.json("DetachRolePolicy",
                "{\"roleName\":\"app\",\"policyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}")
                .replace("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123", EVALUATOR)
                .replace("evt-DetachRolePolicy", "evt-second-call").getBytes(StandardCharsets.UTF_8)).event().orElseThrow();
        assertThat(evaluator.evaluate(again).findings()).extracting(f -> f.ruleId()).contains("GUARDRAIL_ROLE_MISUSE");
    }

    @Test
    void aRecordForOneDocumentNeverExcusesAnother() {
        iam.role("partner", ANYONE, Map.of(), List.of());
        own.expect(OwnChange.of("UpdateAssumeRolePolicy", Map.of("roleName", "partner", "policyDocument", LAMBDA_TRUST)));
        Decision d = evaluator.evaluate(as(EVALUATOR, "UpdateAssumeRolePolicy", trustOf("partner", ANYONE)));
        assertThat(d.findings()).extracting(f -> f.ruleId()).contains("GUARDRAIL_ROLE_MISUSE", "TRUST_ANY_PRINCIPAL");
    }

    @Test
    void aRecordOnlyExcusesItsEventWithinItsLifetime() {
        iam.role("app", LAMBDA_TRUST, Map.of(), List.of());
        own.expect(OwnChange.of("DeleteRolePolicy", Map.of("roleName", "app", "policyName", "all")));
        now = now.plus(OwnChanges.TTL).plus(Duration.ofSeconds(1));
        Decision d = evaluator.evaluate(as(EVALUATOR, "DeleteRolePolicy", "{\"roleName\":\"app\",\"policyName\":\"all\"}"));
        assertThat(d.findings()).extracting(f -> f.ruleId()).contains("GUARDRAIL_ROLE_MISUSE");
    }

    @Test
    void theAuditRoleCannotUseTheEvaluatorsRecords() {
        iam.role("app", LAMBDA_TRUST, Map.of(), List.of());
        own.expect(OwnChange.of("DeleteRolePolicy", Map.of("roleName", "app", "policyName", "all")));
        Decision d = evaluator.evaluate(as(AUDIT, "DeleteRolePolicy", "{\"roleName\":\"app\",\"policyName\":\"all\"}"));
        assertThat(d.findings()).extracting(f -> f.ruleId()).contains("GUARDRAIL_ROLE_MISUSE");
    }
}
