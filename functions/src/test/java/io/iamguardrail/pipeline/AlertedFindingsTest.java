package io.iamguardrail.pipeline;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.iamguardrail.pipeline.EventEvaluatorTest.ADMIN;
import static io.iamguardrail.pipeline.EventEvaluatorTest.LAMBDA_TRUST;
import static io.iamguardrail.pipeline.EventEvaluatorTest.PASS_ANY;
import static io.iamguardrail.pipeline.EventEvaluatorTest.READ_BUCKET;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/** What the evaluator records for the weekly audit after an alert, and that recording never costs the alert. */
class AlertedFindingsTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/app";

    private final FakeIamState iam = new FakeIamState();
    private final List<Alert> published = new ArrayList<>();
    private final List<Map<String, String>> recorded = new ArrayList<>();

    private GuardrailService service(AlertedFindings alerted) {
        EventLedger ledger = EventLedger.inMemory(java.time.Clock.systemUTC());
        return new GuardrailService(new EventEvaluator(iam, GuardrailConfig.defaults(), Optional.empty()), a -> {
            published.add(a);
            return "m-" + published.size();
        }, ledger, DecisionLog.silent(), () -> 0, alerted);
    }

    private static byte[] putRolePolicy(String role, String document) {
        return Events.json("PutRolePolicy", "{\"roleName\":\"" + role + "\",\"policyName\":\"p\",\"policyDocument\":"
                + quoted(document) + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anAlertRecordsOneKeyPerPrincipalAndRuleWithItsWorstSeverity() {
        iam.role("app", LAMBDA_TRUST, Map.of(), List.of());
        GuardrailService.Outcome o = service(d -> recorded.add(AlertedFindings.keys(d))).process(putRolePolicy("app", ADMIN), "a");
        assertThat(o.decision().verdict()).isEqualTo(Verdict.ALERT);
        assertThat(recorded).hasSize(1);
        Map<String, String> keys = recorded.get(0);
        assertThat(keys).containsEntry(ROLE + "|ADMIN_ACCESS", "CRITICAL");
        assertThat(keys.keySet()).allMatch(k -> k.startsWith(ROLE + "|"));
        // one key per rule even when a rule reports several places
        assertThat(keys).hasSize((int) o.decision().findings().stream().filter(f -> f.principal().isPresent())
                .map(f -> f.ruleId()).distinct().count());
    }

    @Test
    void aPrincipalTheEvaluatorCouldNotReadIsKeyedByItsNameAndTheEventsAccount() {
        // "gone" is not in IAM: the evaluator judges the event's copy under arn:...:role/gone
        service(d -> recorded.add(AlertedFindings.keys(d))).process(putRolePolicy("gone", PASS_ANY), "a");
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0)).containsKey("arn:aws:iam::123456789012:role/gone|PASSROLE_UNRESTRICTED");
    }

    @Test
    void noAlertAndDuplicateDeliveriesRecordNothing() {
        iam.role("app", LAMBDA_TRUST, Map.of(), List.of());
        GuardrailService service = service(d -> recorded.add(AlertedFindings.keys(d)));
        assertThat(service.process(putRolePolicy("app", READ_BUCKET), "a").decision().verdict()).isEqualTo(Verdict.NO_ALERT);
        assertThat(recorded).isEmpty();
        byte[] admin = putRolePolicy("app", ADMIN);
        service.process(admin, "b");
        assertThat(service.process(admin, "c").decision().verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(recorded).hasSize(1);
    }

    @Test
    void aFailureToRecordDoesNotStopTheAlert() {
        iam.role("app", LAMBDA_TRUST, Map.of(), List.of());
        GuardrailService.Outcome o = service(d -> {
            throw new IllegalStateException("table unavailable");
        }).process(putRolePolicy("app", ADMIN), "a");
        assertThat(published).hasSize(1);
        assertThat(o.messageId()).contains("m-1");
        assertThat(o.decision().verdict()).isEqualTo(Verdict.ALERT);
        assertThat(o.decision().notes()).contains(
                "alerted findings not recorded for the audit (IllegalStateException: table unavailable)");
    }

    @Test
    void theKeyIgnoresThePathAndNeedsAnAccount() {
        assertThat(AlertedFindings.key("arn:aws:iam::123456789012:role/service-role/ci/deployer", "ADMIN_ACCESS", Optional.empty()))
                .contains("arn:aws:iam::123456789012:role/deployer|ADMIN_ACCESS");
        assertThat(AlertedFindings.key("arn:aws:iam:::user/bob", "USER_DIRECT_POLICY", Optional.of("210987654321")))
                .contains("arn:aws:iam::210987654321:user/bob|USER_DIRECT_POLICY");
        assertThat(AlertedFindings.key("arn:aws:iam:::user/bob", "USER_DIRECT_POLICY", Optional.empty())).isEmpty();
        assertThat(AlertedFindings.key("event evt-1", "ROOT_USER_ACTIVITY", Optional.of("123456789012"))).isEmpty();
        assertThat(AlertedFindings.key("arn:aws:iam::123456789012:root", "TRUST_ACCOUNT_ROOT", Optional.empty())).isEmpty();
    }
}
