package io.iamguardrail.audit;

import io.iamguardrail.pipeline.Alert;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.iamguardrail.audit.AuditTest.ACCOUNT;
import static io.iamguardrail.audit.AuditTest.audit;
import static org.assertj.core.api.Assertions.assertThat;

/** Findings the real-time evaluator already alerted on are known in the weekly report, not new. */
class KnownAlertsTest {

    private static final String VENDOR = ACCOUNT + "role/vendor-admin";
    private static final KnownAlerts.RealTimeAlert ALERTED =
            new KnownAlerts.RealTimeAlert("9f1c2d3e-evt", Instant.parse("2026-11-25T10:15:00Z"), "CRITICAL");

    @Test
    void aFindingAlertedInRealTimeIsKnownEvenWithoutAPreviousReport() throws Exception {
        Set<String> asked = new HashSet<>();
        KnownAlerts alerts = keys -> {
            asked.addAll(keys);
            return keys.contains(VENDOR + "|ADMIN_ACCESS") ? Map.of(VENDOR + "|ADMIN_ACCESS", ALERTED) : Map.of();
        };
        List<Alert> published = new ArrayList<>();
        ScheduledAudit.Outcome o = new ScheduledAudit(AuthorizationDetailsReaderTest::account, audit(AccessAdvisor.NONE),
                new AuditTest.InMemoryStore(), a -> {
            published.add(a);
            return "m";
        }, "test", alerts).run();
        AuditReport r = o.report();

        // Every principal's findings were asked about, by principal and rule.
        assertThat(asked).contains(VENDOR + "|ADMIN_ACCESS", ACCOUNT + "role/github-deploy|TRUST_OIDC_UNSCOPED",
                ACCOUNT + "user/ci-bot|PASSROLE_UNRESTRICTED");
        List<AuditReport.Item> known = r.principals().stream().flatMap(p -> p.findings().stream())
                .filter(i -> !i.isNew()).toList();
        assertThat(known).isNotEmpty().allMatch(i -> i.fingerprint().startsWith(VENDOR + "|ADMIN_ACCESS"))
                .allMatch(i -> i.alerted().equals(Optional.of(ALERTED)));
        assertThat(r.newCount()).isEqualTo(r.findingCount() - known.size());
        // Other findings of the same role stay new: the match is per rule.
        assertThat(r.principals().stream().filter(p -> p.arn().equals(VENDOR)).flatMap(p -> p.findings().stream())
                .filter(i -> i.finding().ruleId().equals("TRUST_EXTERNAL_ACCOUNT"))).allMatch(AuditReport.Item::isNew);

        String why = "alerted in real time on 2026-11-25, event 9f1c2d3e-evt";
        assertThat(AuditText.write(r)).contains("known: " + why);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(AuditJson.write(r, "test"));
        List<com.fasterxml.jackson.databind.JsonNode> knownJson = new ArrayList<>();
        json.path("findings").forEach(f -> {
            if (f.path("status").asText().equals("known")) {
                knownJson.add(f);
            }
        });
        assertThat(knownJson).hasSize(known.size()).allSatisfy(f -> {
            assertThat(f.path("alertedInRealTime").path("eventId").asText()).isEqualTo("9f1c2d3e-evt");
            assertThat(f.path("alertedInRealTime").path("alertedAt").asText()).isEqualTo("2026-11-25T10:15:00Z");
        });
        assertThat(AuditHtml.write(r)).contains("(known: " + why + ")");
        assertThat(published.get(0).subject()).endsWith(", " + r.newCount() + " new");
        assertThat(r.notes()).contains("no previous report: every finding not alerted in real time is new");
    }

    @Test
    void anAlertOlderThanThePreviousReportThatLackedTheFindingWasAboutAnEarlierOccurrence() {
        PreviousReport lastWeek = new PreviousReport(Optional.of(Instant.parse("2026-11-22T04:00:00Z")), Map.of());
        KnownAlerts.RealTimeAlert october = new KnownAlerts.RealTimeAlert("evt-old", Instant.parse("2026-10-30T08:00:00Z"), "CRITICAL");
        AuditReport stale = audit(AccessAdvisor.NONE).run(AuthorizationDetailsReaderTest.account(), Optional.of(lastWeek),
                keys -> Map.of(VENDOR + "|ADMIN_ACCESS", october));
        assertThat(stale.newCount()).isEqualTo(stale.findingCount());

        AuditReport fresh = audit(AccessAdvisor.NONE).run(AuthorizationDetailsReaderTest.account(), Optional.of(lastWeek),
                keys -> Map.of(VENDOR + "|ADMIN_ACCESS", ALERTED));
        assertThat(fresh.newCount()).isLessThan(fresh.findingCount());
    }

    @Test
    void alertsThatCannotBeReadAreNotedAndTheReportStillComes() {
        AuditReport r = audit(AccessAdvisor.NONE).run(AuthorizationDetailsReaderTest.account(), Optional.empty(), keys -> {
            throw new IllegalStateException("DynamoDB throttled");
        });
        assertThat(r.newCount()).isEqualTo(r.findingCount());
        assertThat(r.notes()).contains("the real-time alerts could not be read (IllegalStateException: DynamoDB throttled):"
                + " findings are compared with the previous report only");
    }
}
