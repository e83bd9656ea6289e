package io.iamguardrail.audit.organization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.audit.AccountSnapshot;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.organization.Organization;
import io.iamguardrail.pipeline.Alert;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.model.StsException;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static io.iamguardrail.audit.organization.MemberAccounts.LAMBDA_TRUST;
import static io.iamguardrail.audit.organization.MemberAccounts.VENDOR_TRUST;
import static io.iamguardrail.audit.organization.MemberAccounts.role;
import static io.iamguardrail.audit.organization.MemberAccounts.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's audit of an organization with the state machine's steps called one by one: two member accounts with
 * different principals, one whose member role cannot be assumed, one never audited (its invocation timed out), and an
 * account outside the organization; then the roll-up and its one summary.
 */
class OrganizationAuditTest {

    static final String A = "111122223333";
    static final String B = "444455556666";
    static final String SANDBOX = "777788889999";
    static final String LOGGING = "121212121212";
    static final String OUTSIDER = "999900001111";
    static final String WEEK1 = "2026-11-30";
    static final String WEEK2 = "2026-12-07";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Organization organization = Organization.of(List.of(new MemberAccount(A, "workloads-a"),
            new MemberAccount(B, "workloads-b"), new MemberAccount(SANDBOX, "sandbox"), new MemberAccount(LOGGING, "logging")));
    final Map<String, AccountSnapshot> iam = new HashMap<>();
    final List<String> read = new ArrayList<>();
    final List<Alert> published = new ArrayList<>();
    final MemoryReports bucket = new MemoryReports();

    OrganizationAuditTest() {
        iam.put(A, MemberAccounts.account(A, List.of(role(A, "vendor-admin", VENDOR_TRUST, "AdministratorAccess"),
                role(A, "orders-api", LAMBDA_TRUST, "AmazonDynamoDBReadOnlyAccess")), List.of(user(A, "deploy-bot", "IAMFullAccess"))));
        iam.put(B, MemberAccounts.account(B, List.of(role(B, "data-pipeline", LAMBDA_TRUST, "AmazonS3FullAccess"),
                role(B, "ci-runner", LAMBDA_TRUST, "PowerUserAccess")), List.of()));
    }

    OrganizationAudit hub(String date) {
        Clock clock = Clock.fixed(Instant.parse(date + "T06:00:00Z"), ZoneOffset.UTC);
        MemberAudits audits = (account, d, previous) -> {
            read.add(account.id());
            if (account.id().equals(SANDBOX)) {
                throw StsException.builder().statusCode(403).message("User: arn:aws:sts::210987654321:assumed-role/"
                        + "iam-guardrail-audit/fn is not authorized to perform: sts:AssumeRole on resource: "
                        + "arn:aws:iam::777788889999:role/iam-guardrail-member (Service: Sts, Status Code: 403)").build();
            }
            return MemberAccounts.audit(account.id(), clock).run(iam.get(account.id()), previous);
        };
        return new OrganizationAudit(organization, audits, bucket, alert -> {
            published.add(alert);
            return "message-" + published.size();
        }, "iam-guardrail audit", clock);
    }

    JsonNode object(String key) throws Exception {
        assertThat(bucket.objects).containsKey(key);
        return JSON.readTree(bucket.objects.get(key));
    }

    static List<String> principals(JsonNode report) {
        return StreamSupport.stream(report.path("principals").spliterator(), false).map(p -> p.path("arn").asText()).toList();
    }

    /** The organization's worst principals as "account principal severity". */
    static List<String> worst(JsonNode org) {
        return StreamSupport.stream(org.path("worst").spliterator(), false).map(w -> w.path("account").asText() + " "
                + w.path("principal").asText() + " " + w.path("worst").asText()).toList();
    }

    static JsonNode account(JsonNode org, String id) {
        return StreamSupport.stream(org.path("accounts").spliterator(), false)
                .filter(a -> a.path("account").asText().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void eachAccountIsAuditedIntoItsOwnFolderWithItsOwnPrincipalsOnly() throws Exception {
        OrganizationAudit hub = hub(WEEK1);
        OrganizationAudit.AccountOutcome a = hub.audit(A, WEEK1);
        OrganizationAudit.AccountOutcome b = hub.audit(B, WEEK1);

        assertThat(a.report()).isPresent();
        assertThat(a.location()).isEqualTo("memory://audit/2026-11-30/111122223333/");
        JsonNode reportA = object("audit/2026-11-30/111122223333/report.json");
        JsonNode reportB = object("audit/2026-11-30/444455556666/report.json");
        assertThat(reportA.path("account").asText()).isEqualTo(A);
        assertThat(principals(reportA)).contains("arn:aws:iam::111122223333:role/vendor-admin",
                "arn:aws:iam::111122223333:user/deploy-bot").allMatch(arn -> arn.contains(":" + A + ":"));
        assertThat(principals(reportB)).contains("arn:aws:iam::444455556666:role/ci-runner")
                .allMatch(arn -> arn.contains(":" + B + ":"));
        assertThat(bucket.objects).containsKey("audit/2026-11-30/111122223333/report.html");
        assertThat(published).as("an account's audit publishes nothing: the roll-up's summary is the one alert").isEmpty();
        assertThat(Answers.account(a)).contains("\"status\":\"AUDITED\"", "\"account\":\"111122223333\"",
                "\"name\":\"workloads-a\"");
    }

    @Test
    void anAccountWhoseRoleCannotBeAssumedLeavesItsReasonAndTheOthersCarryOn() throws Exception {
        OrganizationAudit hub = hub(WEEK1);
        OrganizationAudit.AccountOutcome sandbox = hub.audit(SANDBOX, WEEK1);
        hub.audit(A, WEEK1);

        assertThat(sandbox.report()).isEmpty();
        assertThat(sandbox.reason().orElseThrow()).contains("is not authorized to perform: sts:AssumeRole");
        JsonNode failed = object("audit/2026-11-30/777788889999/failed.json");
        assertThat(failed.path("schema").asText()).isEqualTo("iam-guardrail/audit-failed/1");
        assertThat(failed.path("reason").asText()).contains("sts:AssumeRole");
        assertThat(Answers.account(sandbox)).contains("\"status\":\"FAILED\"", "\"reason\":\"StsException: User: ");
        assertThat(bucket.objects).doesNotContainKey("audit/2026-11-30/777788889999/report.json");
    }

    @Test
    void anAccountOutsideTheOrganizationIsNeverRead() throws Exception {
        OrganizationAudit.AccountOutcome outsider = hub(WEEK1).audit(OUTSIDER, WEEK1);

        assertThat(read).isEmpty();
        assertThat(outsider.reason()).contains("account 999900001111 is not an active member of the organization: not audited");
        assertThat(object("audit/2026-11-30/999900001111/failed.json").path("reason").asText()).contains("not an active member");
    }

    @Test
    void theRollUpCountsEveryAccountSaysWhichFailedAndWhyAndPublishesOneSummary() throws Exception {
        OrganizationAudit hub = hub(WEEK1);
        List<MemberAccount> results = new ArrayList<>();
        for (String id : List.of(A, B, SANDBOX)) {
            results.add(hub.audit(id, WEEK1).account());
        }
        // LOGGING's invocation timed out: the map step has no result for it, and its folder is empty.
        OrganizationAudit.RollUpOutcome outcome = hub.rollUp(WEEK1, results);

        JsonNode org = object("audit/2026-11-30/organization.json");
        assertThat(org.path("schema").asText()).isEqualTo("iam-guardrail/org-audit/1");
        assertThat(org.path("summary").path("accounts").asInt()).isEqualTo(4);
        assertThat(org.path("summary").path("audited").asInt()).isEqualTo(2);
        assertThat(account(org, A).path("status").asText()).isEqualTo("AUDITED");
        assertThat(account(org, A).path("bySeverity").path("CRITICAL").asInt()).isPositive();
        assertThat(account(org, SANDBOX).path("status").asText()).isEqualTo("FAILED");
        assertThat(account(org, SANDBOX).path("reason").asText()).contains("sts:AssumeRole");
        assertThat(account(org, LOGGING).path("status").asText()).isEqualTo("MISSING");
        assertThat(account(org, LOGGING).path("reason").asText()).isEqualTo("no report: the invocation failed or timed out");
        int critical = account(org, A).path("bySeverity").path("CRITICAL").asInt()
                + account(org, B).path("bySeverity").path("CRITICAL").asInt();
        assertThat(org.path("summary").path("bySeverity").path("CRITICAL").asInt()).isEqualTo(critical);
        assertThat(org.path("worst").get(0).path("worst").asText()).isEqualTo("CRITICAL");
        assertThat(worst(org)).contains(A + " arn:aws:iam::111122223333:role/vendor-admin CRITICAL",
                A + " arn:aws:iam::111122223333:user/deploy-bot CRITICAL")
                .anyMatch(w -> w.startsWith(B + " arn:aws:iam::444455556666:role/"));

        assertThat(published).hasSize(1);
        Alert summary = published.get(0);
        assertThat(summary.attributes()).containsEntry("eventName", "OrganizationAudit");
        assertThat(summary.subject()).startsWith("IAM Guardrail audit of the organization: ").endsWith("2 accounts not audited");
        assertThat(summary.email()).contains("777788889999 sandbox: StsException", "121212121212 logging: no report");
        assertThat(outcome.location()).isEqualTo("memory://audit/2026-11-30/organization.json");
        assertThat(bucket.objects.get("audit/2026-11-30/organization.html")).contains("id=\"failed-121212121212\"");
    }

    @Test
    void newAndResolvedFindingsAreCountedPerAccountAgainstThatAccountsPreviousReport() throws Exception {
        OrganizationAudit week1 = hub(WEEK1);
        week1.audit(A, WEEK1);
        week1.audit(B, WEEK1);
        // A removes its vendor's admin role; B gives its CI runner administrator access.
        iam.put(A, MemberAccounts.account(A, List.of(role(A, "orders-api", LAMBDA_TRUST, "AmazonDynamoDBReadOnlyAccess")),
                List.of(user(A, "deploy-bot", "IAMFullAccess"))));
        iam.put(B, MemberAccounts.account(B, List.of(role(B, "data-pipeline", LAMBDA_TRUST, "AmazonS3FullAccess"),
                role(B, "ci-runner", LAMBDA_TRUST, "PowerUserAccess", "AdministratorAccess")), List.of()));
        OrganizationAudit week2 = hub(WEEK2);
        week2.audit(A, WEEK2);
        week2.audit(B, WEEK2);
        week2.rollUp(WEEK2, List.of(new MemberAccount(A, "workloads-a"), new MemberAccount(B, "workloads-b")));

        JsonNode org = object("audit/2026-12-07/organization.json");
        JsonNode a = account(org, A);
        JsonNode b = account(org, B);
        assertThat(a.path("new").asInt()).isZero();
        assertThat(a.path("resolved").asInt()).isPositive();
        assertThat(a.path("resolvedFindings").findValuesAsText("principal")).contains("arn:aws:iam::111122223333:role/vendor-admin");
        assertThat(b.path("resolved").asInt()).isZero();
        assertThat(b.path("newFindings").findValuesAsText("ruleId")).contains("ADMIN_ACCESS");
        assertThat(b.path("newFindings").findValuesAsText("principal")).allMatch(p -> p.contains(":" + B + ":"));
        assertThat(worst(org)).contains(B + " arn:aws:iam::444455556666:role/ci-runner CRITICAL")
                .doesNotContain(A + " arn:aws:iam::111122223333:role/vendor-admin CRITICAL");
    }

    @Test
    void aReportInOneAccountsFolderThatIsOfAnotherAccountIsNotCountedAsThatAccount() throws Exception {
        OrganizationAudit hub = hub(WEEK1);
        hub.audit(B, WEEK1);
        bucket.objects.put("audit/2026-11-30/111122223333/report.json", bucket.objects.get("audit/2026-11-30/444455556666/report.json"));
        hub.rollUp(WEEK1, List.of());

        JsonNode a = account(object("audit/2026-11-30/organization.json"), A);
        assertThat(a.path("status").asText()).isEqualTo("FAILED");
        assertThat(a.path("reason").asText()).isEqualTo("2026-11-30/111122223333/report.json: expected a report of account"
                + " 111122223333 but found one of `444455556666`");
        assertThat(a.has("bySeverity")).isFalse();
    }

    @Test
    void anAccountNameChosenByTheMemberIsShownNotObeyed() throws Exception {
        // A member account's root may rename the account: the name reaches the report's page, the terminal and e-mail.
        String hostile = "prod</strong><script>alert(1)</script>\u202Etset\u001b[2J";
        Organization renamed = Organization.of(List.of(new MemberAccount(SANDBOX, hostile)));
        OrganizationAudit hub = new OrganizationAudit(renamed, (a, d, p) -> {
            throw new IllegalStateException("the member role is gone");
        }, bucket, alert -> {
            published.add(alert);
            return "m";
        }, "test", Clock.fixed(Instant.parse("2026-11-30T06:00:00Z"), ZoneOffset.UTC));
        hub.audit(SANDBOX, WEEK1);
        OrganizationAudit.RollUpOutcome o = hub.rollUp(WEEK1, List.of());

        String html = bucket.objects.get("audit/2026-11-30/organization.html");
        assertThat(html).doesNotContain("<script>", "\u202E", "\u001b")
                .contains("prod&lt;/strong&gt;&lt;script&gt;alert(1)&lt;/script&gt;\\u202etset\\u001b[2J");
        DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        assertThat(OrganizationText.write(o.report())).doesNotContain("\u202E", "\u001b");
        assertThat(published.get(0).email()).doesNotContain("\u202E", "\u001b").contains("\\u202etset");
    }
}
