package io.iamguardrail.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.notify.AlertDocument;
import io.iamguardrail.notify.SlackHeight;
import io.iamguardrail.notify.SlackRenderer;
import io.iamguardrail.remediation.PlanOnly;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.remediation.RemediationReport;
import io.iamguardrail.remediation.Remediator;
import io.iamguardrail.state.BatchReads;
import io.iamguardrail.state.PrincipalRef;
import io.iamguardrail.state.ReadOnce;
import io.iamguardrail.testing.StepClock;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.iamguardrail.pipeline.EventEvaluatorTest.ADMIN;
import static io.iamguardrail.pipeline.EventEvaluatorTest.LAMBDA_TRUST;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A delivery from the evaluator's queue: the events of one deployment judged together, each principal read once and
 * alerted once, naming every event that changed it; each event still judged and recorded on its own; a message that
 * fails is the only one delivered again.
 */
class QueuedBatchTest {

    private final Instant now = Instant.parse("2026-11-28T15:01:00Z");
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final FakeIamState iam = new FakeIamState();
    private final ReadOnce reads = new ReadOnce(iam);
    private final List<Alert> published = new ArrayList<>();
    private final Set<String> unpublishable = new HashSet<>();
    private final GuardrailService service = new GuardrailService(
            new EventEvaluator(reads, GuardrailConfig.defaults(), Optional.empty()), alert -> {
                if (unpublishable.contains(eventIdOf(alert))) {
                    throw new IllegalStateException("SNS unavailable");
                }
                published.add(alert);
                return "m-" + published.size();
            }, EventLedger.inMemory(clock), DecisionLog.silent(), () -> 0,
            new PlanOnly(new Planner(GuardrailConfig.defaults(), clock)), AlertedFindings.NONE, Optional.empty(),
            reads);

    QueuedBatchTest() {
        iam.role("app", LAMBDA_TRUST, Map.of("all", ADMIN), List.of());
    }

    /** The apply's changes to role app, each its own event. */
    private static String change(String id, String eventName, String request) {
        return Events.json(eventName, request).replace("\"eventID\":\"evt-" + eventName + "\"", "\"eventID\":\"" + id + "\"")
                .replace("6f9a1c2e-0000-4000-8000-000000000001", "6f9a1c2e-0000-4000-8000-" + id.substring(4));
    }

    private static final String PUT = "{\"roleName\":\"app\",\"policyName\":\"all\",\"policyDocument\":" + quoted(ADMIN) + "}";
    private static final String TAG = "{\"roleName\":\"app\",\"tags\":[{\"key\":\"team\",\"value\":\"payments\"}]}";
    private static final String PUT_OPS = PUT.replace("\"app\"", "\"ops\"");

    private static byte[] delivery(String... idAndBody) {
        StringBuilder out = new StringBuilder("{\"Records\":[");
        for (int i = 0; i < idAndBody.length; i += 2) {
            out.append(i == 0 ? "" : ",").append("{\"messageId\":\"").append(idAndBody[i]).append("\",\"receiptHandle\":\"rh\",")
                    .append("\"body\":").append(quoted(idAndBody[i + 1].replace("\n", " "))).append(",\"eventSource\":\"aws:sqs\",")
                    .append("\"eventSourceARN\":\"arn:aws:sqs:us-east-1:123456789012:guardrail-EvaluatorQueue\"}");
        }
        return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static String eventIdOf(Alert alert) {
        try {
            return new ObjectMapper().readTree(alert.json()).path("event").path("id").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Invocation invocation() {
        return new Invocation("req-1", Optional.empty(), now.plusSeconds(90));
    }

    @Test
    void theEventsOfOneRoleInABatchReadItOnceAndGetOneAlertNamingEveryEvent() {
        QueuedBatch batch = QueuedBatch.read(delivery("m1", change("evt-000000000001", "PutRolePolicy", PUT),
                "m2", change("evt-000000000002", "PutRolePolicy", PUT),
                "m3", change("evt-000000000003", "TagRole", TAG))).orElseThrow();

        QueuedBatch.Result r = batch.process(service, invocation());

        assertThat(r.failures()).isEmpty();
        assertThat(r.answer()).isEqualTo("{\"batchItemFailures\":[]}");
        // The tag changes no permission: judged at once, no alert. The two policy writes wait for the batch's end.
        assertThat(r.outcomes()).extracting(o -> o.decision().eventId())
                .containsExactly("evt-000000000003", "evt-000000000001", "evt-000000000002");
        assertThat(r.outcomes().get(0).decision().verdict()).isEqualTo(Verdict.NO_ALERT);
        assertThat(r.outcomes().subList(1, 3)).allSatisfy(o -> assertThat(o.messageId()).contains("m-1"));
        assertThat(published).as("one alert for role app").hasSize(1);
        AlertDocument alert = published.get(0).document().orElseThrow();
        assertThat(alert.event().id()).isEqualTo("evt-000000000001");
        assertThat(alert.otherEvents()).extracting(AlertDocument.OtherEvent::id).containsExactly("evt-000000000002");
        assertThat(alert.summary()).contains("PutRolePolicy and 1 more change on role app");
        assertThat(AlertDocument.parse(published.get(0).json()).otherEvents()).isEqualTo(alert.otherEvents());
        assertThat(alert.findings()).extracting(AlertDocument.Finding::fingerprint).doesNotHaveDuplicates();
        assertThat(published.get(0).email()).contains("Other events of this principal in the alert:",
                "event evt-000000000002");
        assertThat(SlackRenderer.render(alert)).contains("and 1 more change", "Also in this alert, 1 more event:");
        assertThat(iam.lookups).as("role app read once for the batch").isEqualTo(1);

        // Delivered again, none of the three is alerted again: each event id is done in the ledger.
        batch.process(service, invocation());
        assertThat(published).hasSize(1);

        // The next batch reads IAM again: nothing read for one batch serves another.
        QueuedBatch.read(delivery("m4", change("evt-000000000004", "PutRolePolicy", PUT))).orElseThrow()
                .process(service, invocation());
        assertThat(iam.lookups).isEqualTo(3);
        assertThat(published.get(1).document().orElseThrow().otherEvents()).isEmpty();
    }

    @Test
    void anAlertNamingFortyEventsOfOneRoleStillFitsOneSlackScreen() throws Exception {
        List<String> idsAndBodies = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            String id = String.format("evt-%012d", 100 + i);
            idsAndBodies.add("m" + i);
            idsAndBodies.add(change(id, "PutRolePolicy", PUT));
        }
        QueuedBatch.read(delivery(idsAndBodies.toArray(String[]::new))).orElseThrow().process(service, invocation());

        assertThat(published).hasSize(1);
        AlertDocument alert = published.get(0).document().orElseThrow();
        assertThat(alert.otherEvents()).hasSize(40);
        String slack = SlackRenderer.render(alert);
        assertThat(slack).contains("and 40 more changes", "Also in this alert, 40 more events:", "and 37 more");
        assertThat(SlackHeight.of(new ObjectMapper().readTree(slack))).isLessThanOrEqualTo(SlackHeight.SCREEN);
        assertThat(published.get(0).email()).contains("event evt-000000000140");
    }

    @Test
    void aPrincipalIsAlertedAsSoonAsTheBatchsLastEventOfItIsJudgedSoATimeoutLaterLosesNoAlertAlreadyDue() {
        iam.role("ops", LAMBDA_TRUST, Map.of(), List.of());
        List<EventDecoder.Decoded> events = List.of(decoded(change("evt-000000000061", "PutRolePolicy", PUT)),
                decoded(change("evt-000000000062", "PutRolePolicy", PUT_OPS)),
                decoded(change("evt-000000000063", "PutRolePolicy", PUT_OPS)));
        service.beginBatch(events, invocation());

        service.process(events.get(0), invocation());
        assertThat(published).as("role app: its only event judged").extracting(QueuedBatchTest::eventIdOf)
                .containsExactly("evt-000000000061");
        service.process(events.get(1), invocation());
        assertThat(published).as("role ops: one more of its events to come").hasSize(1);
        service.process(events.get(2), invocation());
        assertThat(published).extracting(QueuedBatchTest::eventIdOf).containsExactly("evt-000000000061", "evt-000000000062");

        BatchEnd end = service.endBatch();
        assertThat(end.unpublished()).isEmpty();
        assertThat(end.outcomes()).extracting(o -> o.decision().eventId())
                .containsExactly("evt-000000000061", "evt-000000000062", "evt-000000000063");
        assertThat(published).as("nothing published twice at the end").hasSize(2);
    }

    @Test
    void onlyThePrincipalsTheBatchJudgesAreReadAheadNeverOnesItDeletes() {
        List<Set<PrincipalRef>> expected = new ArrayList<>();
        BatchReads recording = new BatchReads() {
            @Override
            public void expect(Set<PrincipalRef> principals) {
                expected.add(principals);
            }

            @Override
            public void forget() {
            }
        };
        GuardrailService reading = new GuardrailService(
                new EventEvaluator(reads, GuardrailConfig.defaults(), Optional.empty()), alert -> "m-1",
                EventLedger.inMemory(clock), DecisionLog.silent(), () -> 0,
                new PlanOnly(new Planner(GuardrailConfig.defaults(), clock)), AlertedFindings.NONE, Optional.empty(),
                recording);

        reading.beginBatch(List.of(decoded(change("evt-000000000071", "PutRolePolicy", PUT)),
                decoded(change("evt-000000000072", "DeleteRole", "{\"roleName\":\"gone\"}"))), invocation());

        assertThat(expected).containsExactly(Set.of(new PrincipalRef(PrincipalRef.Kind.ROLE, "app")));
    }

    private static EventDecoder.Decoded decoded(String json) {
        return EventDecoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyEventOfACoalescedAlertHasItsDecisionLineNamingTheMessage() {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        GuardrailService logged = new GuardrailService(
                new EventEvaluator(reads, GuardrailConfig.defaults(), Optional.empty()), alert -> "sns-42",
                EventLedger.inMemory(clock), new DecisionLog(new PrintStream(lines, true, StandardCharsets.UTF_8), clock),
                () -> 0, new PlanOnly(new Planner(GuardrailConfig.defaults(), clock)), AlertedFindings.NONE,
                Optional.empty(), reads);

        QueuedBatch.read(delivery("m1", change("evt-000000000031", "PutRolePolicy", PUT),
                "m2", change("evt-000000000032", "PutRolePolicy", PUT))).orElseThrow().process(logged, invocation());

        List<String> decisions = lines.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("evt-00000000003")).toList();
        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(0)).contains("evt-000000000031", "alerted in message sns-42 with 1 other event(s) of");
        assertThat(decisions.get(1)).contains("evt-000000000032", "alerted in message sns-42 with 1 other event(s) of");
    }

    @Test
    void anEventDeliveredTwiceInOneBatchIsNamedOnce() {
        QueuedBatch.Result r = QueuedBatch.read(delivery("m1", change("evt-000000000041", "PutRolePolicy", PUT),
                "m2", change("evt-000000000041", "PutRolePolicy", PUT))).orElseThrow().process(service, invocation());

        assertThat(r.failures()).isEmpty();
        assertThat(published).hasSize(1);
        assertThat(published.get(0).document().orElseThrow().otherEvents()).isEmpty();
        assertThat(r.outcomes()).extracting(o -> o.decision().verdict()).containsExactly(Verdict.SKIPPED, Verdict.ALERT);
    }

    @Test
    void outsideABatchEveryEventReadsIamAfresh() {
        service.process(change("evt-000000000005", "PutRolePolicy", PUT).getBytes(StandardCharsets.UTF_8), invocation());
        service.process(change("evt-000000000006", "PutRolePolicy", PUT).getBytes(StandardCharsets.UTF_8), invocation());

        assertThat(iam.lookups).isEqualTo(2);
    }

    @Test
    void aForgedEventReusingARealEventsIdInTheBatchIsNotTakenForItsDuplicate() {
        // Same eventID, other content: it must not make the batch drop the real event as a "duplicate".
        String real = change("evt-000000000051", "PutRolePolicy", PUT);
        String forged = change("evt-000000000051", "PutRolePolicy", PUT.replace("\"all\"", "\"decoy\""));

        QueuedBatch.Result r = QueuedBatch.read(delivery("m1", forged, "m2", real)).orElseThrow()
                .process(service, invocation());

        assertThat(r.outcomes()).extracting(o -> o.decision().verdict()).containsExactly(Verdict.ALERT, Verdict.ALERT);
        assertThat(published).hasSize(1);
        assertThat(published.get(0).document().orElseThrow().otherEvents()).hasSize(1);
    }

    @Test
    void onlyTheMessagesThatFailAreDeliveredAgainTheOthersStand() {
        iam.role("ops", LAMBDA_TRUST, Map.of(), List.of());
        unpublishable.add("evt-000000000008");
        QueuedBatch batch = QueuedBatch.read(delivery("m1", "{\"detail-type\":\"AWS API Call via CloudTrail\"}",
                "m2", change("evt-000000000007", "PutRolePolicy", PUT),
                "m3", change("evt-000000000008", "PutRolePolicy", PUT_OPS),
                "m4", change("evt-000000000009", "PutRolePolicy", PUT_OPS))).orElseThrow();

        QueuedBatch.Result r = batch.process(service, invocation());

        // Role ops's alert (its two events) did not go out: both its messages come again, role app's stands.
        assertThat(r.failures()).extracting(QueuedBatch.Failure::messageId).containsExactly("m1", "m3", "m4");
        assertThat(r.failures().get(1).reason()).contains("alert not published", "SNS unavailable");
        assertThat(r.answer()).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"},"
                + "{\"itemIdentifier\":\"m3\"},{\"itemIdentifier\":\"m4\"}]}");
        assertThat(r.outcomes().get(0).decision().verdict()).isEqualTo(Verdict.ERROR);
        assertThat(published).extracting(QueuedBatchTest::eventIdOf).containsExactly("evt-000000000007");

        // Delivered again, the events whose alert failed are alerted once, together; the one already alerted is not.
        unpublishable.clear();
        QueuedBatch.read(delivery("m2", change("evt-000000000007", "PutRolePolicy", PUT),
                "m3", change("evt-000000000008", "PutRolePolicy", PUT_OPS),
                "m4", change("evt-000000000009", "PutRolePolicy", PUT_OPS))).orElseThrow().process(service, invocation());
        assertThat(published).extracting(QueuedBatchTest::eventIdOf).containsExactly("evt-000000000007", "evt-000000000008");
        assertThat(published.get(1).document().orElseThrow().otherEvents()).extracting(AlertDocument.OtherEvent::id)
                .containsExactly("evt-000000000009");
    }

    @Test
    void aSingleEventOrAnythingElseIsNotABatchAndARecordWithoutAnIdFailsTheWholeDelivery() {
        assertThat(QueuedBatch.read(change("evt-000000000009", "PutRolePolicy", PUT).getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(QueuedBatch.read("{\"Records\":[{\"eventSource\":\"aws:s3\"}]}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(QueuedBatch.read("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();

        QueuedBatch noId = QueuedBatch.read("{\"Records\":[{\"eventSource\":\"aws:sqs\",\"body\":\"{}\"}]}"
                .getBytes(StandardCharsets.UTF_8)).orElseThrow();
        assertThatThrownBy(() -> noId.process(service, invocation())).hasMessageContaining("messageId");
    }

    @Test
    void aRemediationThatWroteMakesTheRestOfTheBatchReadIamAgain() {
        Remediator acting = (decision, journal) -> new RemediationReport("REMEDIATE", RemediationReport.Status.DONE,
                "deleted the inline policy all", List.of(new RemediationReport.ActionReport("DELETE_INLINE_POLICY",
                "role app inline policy all", RemediationReport.Status.DONE, "deleted")), Optional.of("evt/1"),
                Optional.empty(), List.of(), Optional.empty());
        GuardrailService remediating = new GuardrailService(
                new EventEvaluator(reads, GuardrailConfig.defaults(), Optional.empty()), alert -> "m-1",
                EventLedger.inMemory(clock), DecisionLog.silent(), () -> 0, acting, AlertedFindings.NONE,
                Optional.empty(), reads);

        QueuedBatch.read(delivery("m1", change("evt-000000000011", "PutRolePolicy", PUT),
                "m2", change("evt-000000000012", "TagRole", TAG))).orElseThrow().process(remediating, invocation());

        assertThat(iam.lookups).as("role app read again after the remediation wrote").isEqualTo(2);
    }

    @Test
    void aBatchRunningOutOfTimeStartsNoMoreMessagesAndNamesTheRestForDeliveryAgain() {
        QueuedBatch batch = QueuedBatch.read(delivery("m1", change("evt-000000000021", "PutRolePolicy", PUT),
                "m2", change("evt-000000000022", "PutRolePolicy", PUT))).orElseThrow();
        // The first message is started at the deadline; by the second, the clock has passed it.
        StepClock ticking = new StepClock(now, Duration.ofSeconds(10));

        QueuedBatch.Result r = batch.process(service, invocation(), ticking, now);

        assertThat(r.outcomes()).extracting(o -> o.decision().eventId()).containsExactly("evt-000000000021");
        assertThat(r.failures()).extracting(QueuedBatch.Failure::messageId).containsExactly("m2");
        assertThat(published).extracting(QueuedBatchTest::eventIdOf).containsExactly("evt-000000000021");
    }
}
