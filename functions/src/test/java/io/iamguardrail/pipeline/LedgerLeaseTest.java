package io.iamguardrail.pipeline;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.remediation.RemediationReport;
import io.iamguardrail.remediation.Remediator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.EventEvaluatorTest.ADMIN;
import static io.iamguardrail.pipeline.EventEvaluatorTest.LAMBDA_TRUST;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The claim on an event as Lambda's retries meet it: a crash after the claim, a concurrent delivery, a publish that
 * fails after the remediation acted. Each must end in exactly one alert that says what was done.
 */
class LedgerLeaseTest {

    private final FakeIamState iam = new FakeIamState();
    private final List<Alert> published = new ArrayList<>();
    private final Instant now = Instant.parse("2026-11-28T15:01:00Z");
    private final EventLedger ledger = EventLedger.inMemory(Clock.fixed(now, ZoneOffset.UTC));
    private final byte[] risky = Events.json("PutRolePolicy", "{\"roleName\":\"app\",\"policyName\":\"all\",\"policyDocument\":"
            + quoted(ADMIN) + "}").getBytes(StandardCharsets.UTF_8);
    private int remediations;
    private boolean failPublish;

    LedgerLeaseTest() {
        iam.role("app", LAMBDA_TRUST, Map.of(), List.of());
    }

    /** A remediator that acts (counts) and reports a backup, as the executor does. */
    private final Remediator acting = new Remediator() {
        @Override
        public RemediationReport remediate(Decision decision, Journal journal) {
            remediations++;
            RemediationReport planned = new RemediationReport("REMEDIATE", RemediationReport.Status.IN_PROGRESS,
                    "deleting", List.of(), Optional.of("evt-1/1"), Optional.empty(), List.of(), Optional.empty());
            journal.acting(planned);
            return new RemediationReport("REMEDIATE", RemediationReport.Status.DONE, "deleted the inline policy all",
                    List.of(new RemediationReport.ActionReport("DELETE_INLINE_POLICY", "role app inline policy all",
                            RemediationReport.Status.DONE, "deleted")), Optional.of("evt-1/1"), Optional.empty(),
                    List.of(), Optional.empty());
        }
    };

    private GuardrailService service() {
        return new GuardrailService(new EventEvaluator(iam, GuardrailConfig.defaults(), Optional.empty()), a -> {
            if (failPublish) {
                throw new IllegalStateException("SNS unavailable");
            }
            published.add(a);
            return "m-" + published.size();
        }, ledger, DecisionLog.silent(), () -> 0, acting);
    }

    private String riskyKey() {
        return GuardrailService.ledgerKey(io.iamguardrail.event.EventDecoder.decode(risky).event().orElseThrow());
    }

    private Invocation invocation(String requestId) {
        return new Invocation(requestId, Optional.empty(), now.plusSeconds(90));
    }

    @Test
    void aRetryOfAnInvocationThatDiedAfterItsClaimStillAlerts() {
        // The first attempt claimed and died (timeout) before publishing: nothing released the claim.
        ledger.claim(riskyKey(), new EventLedger.Holder("req-1", now.plusSeconds(90)));
        // Lambda's retry a minute later keeps the request id, and the lease (timeout + margin) has not run out.
        GuardrailService.Outcome retry = service().process(risky, invocation("req-1"));
        assertThat(retry.decision().verdict()).isEqualTo(Verdict.ALERT);
        assertThat(published).hasSize(1);
    }

    @Test
    void aConcurrentDeliveryFailsForARetryInsteadOfEndingAsADuplicate() {
        ledger.claim(riskyKey(), new EventLedger.Holder("req-1", now.plusSeconds(90)));
        GuardrailService.Outcome other = service().process(risky, invocation("req-2"));
        assertThat(other.decision().verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(other.retry()).hasValueSatisfying(r -> assertThat(r).contains("req-1", "retries"));
        assertThat(published).isEmpty();
        assertThat(remediations).isZero();
    }

    @Test
    void aClaimLeftByADeadInvocationIsTakenOverOnceItsLeaseEnds() {
        ledger.claim(riskyKey(), new EventLedger.Holder("req-1", now.minusSeconds(1)));
        assertThat(service().process(risky, invocation("req-2")).decision().verdict()).isEqualTo(Verdict.ALERT);
        assertThat(published).hasSize(1);
    }

    @Test
    void aRemediationWhosePublishFailedIsReEmittedWithItsBackupNotRedoneAsNoop() {
        failPublish = true;
        assertThatThrownBy(() -> service().process(risky, invocation("req-1"))).hasMessageContaining("SNS unavailable");
        assertThat(remediations).isEqualTo(1);
        failPublish = false;
        GuardrailService.Outcome retry = service().process(risky, invocation("req-1"));
        assertThat(remediations).as("acted once only").isEqualTo(1);
        assertThat(retry.remediation()).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(RemediationReport.Status.DONE);
            assertThat(r.backupId()).contains("evt-1/1");
        });
        assertThat(published).hasSize(1);
        assertThat(published.get(0).json()).contains("\"backupId\":\"evt-1/1\"", "\"status\":\"DONE\"");
        assertThat(retry.decision().notes()).contains("remediation by an earlier attempt of this event, re-emitted");
    }

    @Test
    void aStoredReportThatCannotBeReadIsSaidInTheAlertAndTheRemediationRunsAgain() {
        // An earlier attempt stored its report, and the table now holds something else under it (a hand edit, a
        // newer format): the retry acts again, and the alert says why instead of passing over it.
        ledger.claim(riskyKey(), new EventLedger.Holder("req-1", now.plusSeconds(90)));
        ledger.recordRemediation(riskyKey(), "{\"status\":");
        GuardrailService.Outcome retry = service().process(risky, invocation("req-1"));
        assertThat(remediations).isEqualTo(1);
        assertThat(retry.decision().notes()).anyMatch(n -> n.startsWith(
                "the report an earlier attempt of this event stored is unreadable (") && n.endsWith("): acted again"));
        assertThat(published).hasSize(1);
    }

    @Test
    void aRedeliveryAfterThePublishIsADuplicate() {
        service().process(risky, invocation("req-1"));
        GuardrailService.Outcome again = service().process(risky, invocation("req-9"));
        assertThat(again.decision().reason()).isEqualTo("event already processed (duplicate delivery)");
        assertThat(again.retry()).isEmpty();
        assertThat(published).hasSize(1);
    }

    @Test
    void anEventOfAnotherAccountIsRefusedBeforeAnythingIsEvaluated() {
        GuardrailService.Outcome o = service().process(risky, new Invocation("req-1", Optional.of("999988887777"),
                now.plusSeconds(90)));
        assertThat(o.decision().verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(o.decision().reason()).contains("`123456789012`", "not this guardrail's account 999988887777");
        assertThat(remediations).isZero();
        assertThat(published).isEmpty();
        assertThat(iam.lookups).isZero();
    }

    @Test
    void anEventWhoseRecipientIsAnotherAccountIsRefusedEvenWhenTheEnvelopeSaysThisOne() {
        byte[] forged = new String(risky, StandardCharsets.UTF_8)
                .replace("\"recipientAccountId\":\"123456789012\"", "\"recipientAccountId\":\"999988887777\"")
                .getBytes(StandardCharsets.UTF_8);
        GuardrailService.Outcome o = service().process(forged, new Invocation("req-1", Optional.of("123456789012"),
                now.plusSeconds(90)));
        assertThat(o.decision().verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(o.decision().reason()).contains("recipient `999988887777`");
        assertThat(remediations).isZero();
    }

    @Test
    void theFunctionsAccountComesFromItsArn() {
        assertThat(Invocation.accountOfFunctionArn("arn:aws:lambda:us-east-1:123456789012:function:g-evaluator:live"))
                .contains("123456789012");
        assertThat(Invocation.accountOfFunctionArn("arn:aws:lambda:us-east-1:12345:function:x")).isEmpty();
        assertThat(Invocation.accountOfFunctionArn(null)).isEmpty();
    }

    @Test
    void aForgedCopyOfADeferredEventNeverClosesTheRealOne() {
        // The real delivery was deferred (its alert is out, its remediation due again on Lambda's retry).
        String realKey = GuardrailService.ledgerKey(io.iamguardrail.event.EventDecoder.decode(risky).event().orElseThrow());
        ledger.claim(realKey, new EventLedger.Holder("req-1", now.plusSeconds(90)));
        ledger.defer(realKey, "{\"mode\":\"REMEDIATE\",\"status\":\"DEFERRED\",\"summary\":\"deferred\",\"actions\":[]}");
        // The attacker invokes the function with the same event id and another time (or any other changed field).
        byte[] forged = new String(risky, StandardCharsets.UTF_8).replace("\"eventTime\":\"2026-11-28T15:00:00Z\"",
                "\"eventTime\":\"2019-01-01T00:00:00Z\"").getBytes(StandardCharsets.UTF_8);
        service().process(forged, invocation("req-attacker"));
        // Lambda's retry of the real event still finds its remediation due, not a closed "duplicate".
        GuardrailService.Outcome retry = service().process(risky, invocation("req-1"));
        assertThat(retry.decision().reason()).isNotEqualTo("event already processed (duplicate delivery)");
        assertThat(retry.decision().notes()).anyMatch(n -> n.startsWith("follow-up"));
    }
}
