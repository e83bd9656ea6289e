package io.iamguardrail.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.audit.AccessAdvisor;
import io.iamguardrail.audit.AccountSnapshot;
import io.iamguardrail.audit.Audit;
import io.iamguardrail.audit.ReportStore;
import io.iamguardrail.audit.ScheduledAudit;
import io.iamguardrail.audit.organization.AccountReportStore;
import io.iamguardrail.audit.organization.OrganizationAudit;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.organization.Organization;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit function's inputs as the state machine and the schedule send them: each reaches its step, the schedule's
 * event still audits the function's own account, and an input that names an organization step but gets it wrong is
 * refused with what was expected and where.
 */
class AuditHandlerInputsTest {

    static final Clock NOW = Clock.fixed(Instant.parse("2026-12-07T06:00:00Z"), ZoneOffset.UTC);
    static final String A = "111122223333";
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<String> calls = new ArrayList<>();
    final Map<String, String> bucket = new TreeMap<>();
    final List<String> summaries = new ArrayList<>();

    ScheduledAudit own() {
        AccountSnapshot snapshot = new AccountSnapshot(Optional.of("210987654321"), List.of(), List.of(), List.of(), Map.of());
        ReportStore store = new ReportStore() {
            @Override
            public Optional<String> latestJson() {
                return Optional.empty();
            }

            @Override
            public String save(Instant at, Supplier<String> json, Supplier<String> html) {
                calls.add("own audit");
                return "memory://audit/own/";
            }
        };
        return new ScheduledAudit(() -> snapshot, new Audit(GuardrailConfig.defaults(), AccessAdvisor.NONE,
                ManagedPolicySnapshot.bundled(), 90, 1000, NOW), store, a -> {
            summaries.add(a.subject());
            return "m-own";
        }, "test");
    }

    OrganizationAudit hub() {
        Organization org = Organization.of(List.of(new MemberAccount(A, "workloads-a"), new MemberAccount("444455556666", "workloads-b")));
        AccountReportStore store = new AccountReportStore() {
            public Optional<String> report(String date, String account) {
                return Optional.ofNullable(bucket.get(date + "/" + account + "/report.json"));
            }

            public Optional<String> failure(String date, String account) {
                return Optional.ofNullable(bucket.get(date + "/" + account + "/failed.json"));
            }

            public List<String> accounts(String date) {
                return List.of();
            }

            public Optional<String> previousReport(String date, String account) {
                return Optional.empty();
            }

            public String saveReport(String date, String account, Supplier<String> json, Supplier<String> html) {
                bucket.put(date + "/" + account + "/report.json", json.get());
                return "memory://" + date + "/" + account + "/";
            }

            public String saveFailure(String date, String account, String json) {
                bucket.put(date + "/" + account + "/failed.json", json);
                return "memory://" + date + "/" + account + "/failed.json";
            }

            public String saveOrganization(String date, String json, String html) {
                bucket.put(date + "/organization.json", json);
                return "memory://" + date + "/organization.json";
            }
        };
        return new OrganizationAudit(org, (account, date, previous) -> {
            calls.add("member " + account.id() + " " + date);
            return new Audit(GuardrailConfig.defaults().withAccountId(account.id()), AccessAdvisor.NONE,
                    ManagedPolicySnapshot.bundled(), 90, 1000, NOW).run(new AccountSnapshot(Optional.of(account.id()),
                    List.of(), List.of(), List.of(), Map.of()), previous);
        }, store, a -> {
            summaries.add(a.subject());
            return "m-org";
        }, "test", NOW);
    }

    JsonNode invoke(AuditHandler handler, String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theStateMachinesStepsReachTheirUseCase() throws IOException {
        AuditHandler handler = new AuditHandler(own(), Optional.of(hub()));

        JsonNode list = invoke(handler, "{\"listAccounts\":true}");
        assertThat(list.path("accounts").findValuesAsText("account")).containsExactly(A, "444455556666");
        assertThat(list.path("accounts").get(0).path("name").asText()).isEqualTo("workloads-a");

        JsonNode one = invoke(handler, "{\"account\":\"111122223333\",\"name\":\"workloads-a\",\"date\":\"2026-12-07\"}");
        assertThat(one.path("status").asText()).isEqualTo("AUDITED");
        assertThat(one.path("account").asText()).isEqualTo(A);
        assertThat(one.path("bySeverity").has("CRITICAL")).isTrue();
        assertThat(calls).containsExactly("member 111122223333 2026-12-07");

        JsonNode rollUp = invoke(handler, "{\"rollUp\":{\"date\":\"2026-12-07\",\"accounts\":[" + one
                + ",{\"Error\":\"States.Timeout\",\"Cause\":\"the task timed out\"}]}}");
        assertThat(rollUp.path("accounts").asInt()).isEqualTo(2);
        assertThat(rollUp.path("audited").asInt()).isEqualTo(1);
        assertThat(rollUp.path("missing").asInt()).as("workloads-b's item timed out").isEqualTo(1);
        assertThat(summaries).containsExactly(summaries.get(0)).allMatch(s -> s.startsWith("IAM Guardrail audit of the organization"));
    }

    @Test
    void theSchedulesEventStillAuditsTheFunctionsOwnAccount() throws IOException {
        String scheduled = Files.readString(Path.of("../events/scheduled-audit.json"));
        for (AuditHandler handler : List.of(new AuditHandler(own()), new AuditHandler(own(), Optional.of(hub())))) {
            JsonNode answer = invoke(handler, scheduled);
            assertThat(answer.path("report").asText()).isEqualTo("memory://audit/own/");
        }
        assertThat(invoke(new AuditHandler(own()), "{}").path("messageId").asText()).isEqualTo("m-own");
        assertThat(calls).containsExactly("own audit", "own audit", "own audit");
    }

    @Test
    void aWrongOrganizationInputIsRefusedWithWhereAndWhatWasExpected() {
        AuditHandler handler = new AuditHandler(own(), Optional.of(hub()));
        Map<String, String> refused = Map.of(
                "{\"account\":\"1111-2222-3333\",\"date\":\"2026-12-07\"}",
                "audit input: expected a 12-digit account id (text) at /account but found `\"1111-2222-3333\"`",
                "{\"account\":\"111122223333\",\"date\":\"2026-12-07/../../x\"}",
                "audit input: expected a date as yyyy-MM-dd at /date but found `\"2026-12-07/../../x\"`",
                "{\"account\":\"111122223333\"}",
                "audit input: expected a date as yyyy-MM-dd at /date but found nothing",
                "{\"rollUp\":{\"date\":\"2026-02-30\",\"accounts\":[]}}",
                "audit input: expected a date as yyyy-MM-dd at /rollUp/date but found `\"2026-02-30\"`",
                "{\"rollUp\":{\"date\":\"2026-12-07\",\"accounts\":[{\"account\":\"../111122223333\"}]}}",
                "audit input: expected a 12-digit account id (text) at /rollUp/accounts/0/account but found `\"../111122223333\"`",
                "{\"listAccounts\":\"yes\"}",
                "audit input: expected true at /listAccounts but found `\"yes\"`");
        refused.forEach((input, message) -> assertThatThrownBy(() -> invoke(handler, input)).as(input)
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message));
        assertThat(calls).isEmpty();
        assertThat(bucket).isEmpty();
    }

    @Test
    void outsideAHubAnOrganizationStepIsRefusedAndNothingIsRead() {
        assertThatThrownBy(() -> invoke(new AuditHandler(own()), "{\"account\":\"111122223333\",\"date\":\"2026-12-07\"}"))
                .hasMessageStartingWith("audit input: expected the schedule's event, since only a hub (DEPLOYMENT_MODE=hub)"
                        + " audits an organization, but found Account[account=111122223333");
        assertThat(calls).isEmpty();
    }
}
