package io.iamguardrail.audit;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.pipeline.Alert;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class AuditTest {

    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-29T04:00:00Z"), ZoneOffset.UTC);
    static final String ACCOUNT = "arn:aws:iam::123456789012:";

    static Audit audit(AccessAdvisor advisor) {
        return new Audit(GuardrailConfig.defaults(), advisor, ManagedPolicySnapshot.bundled(), 90, 1000, NOW);
    }

    static AuditReport offline() {
        return audit(AccessAdvisor.NONE).run(AuthorizationDetailsReaderTest.account(), Optional.empty());
    }

    /** Access Advisor's answer: CloudFront never used by github-deploy, nor S3 DeleteObject; one principal failed. */
    static AccessAdvisor advisor() {
        Instant recent = Instant.parse("2026-11-20T10:00:00Z");
        return arns -> new AccessAdvisor.Result(Map.of(
                ACCOUNT + "role/github-deploy", List.of(
                        new AccessAdvisor.ServiceAccess("s3", "Amazon S3", Optional.of(recent), List.of(
                                new AccessAdvisor.ActionAccess("PutObject", Optional.of(recent)),
                                new AccessAdvisor.ActionAccess("DeleteObject", Optional.empty()))),
                        new AccessAdvisor.ServiceAccess("cloudfront", "Amazon CloudFront", Optional.empty(), List.of())),
                ACCOUNT + "role/vendor-admin", List.of(
                        new AccessAdvisor.ServiceAccess("iam", "AWS Identity and Access Management",
                                Optional.of(Instant.parse("2026-03-02T16:20:00Z")), List.of()),
                        new AccessAdvisor.ServiceAccess("ec2", "Amazon EC2", Optional.empty(), List.of()))),
                Map.of(ACCOUNT + "user/ci-bot", "AccessDenied (HTTP 403)"));
    }

    static List<String> rules(AuditReport r, String arn) {
        return r.principals().stream().filter(p -> p.arn().equals(arn)).flatMap(p -> p.findings().stream())
                .map(i -> i.finding().ruleId()).toList();
    }

    @Test
    void theConfigurationNamesTheAuditsOwnFindingsLikeAnyRule() throws Exception {
        GuardrailConfig config = new ConfigLoader(Rules.configurableIds()).load("""
                rules:
                  UNUSED_ROLE: { severity: MEDIUM }
                  UNUSED_SERVICE: { enabled: false }
                exemptions:
                  - principal: vendor-admin
                    rules: [UNUSED_ROLE]
                    reason: kept for the vendor's yearly audit
                    expires: 2027-06-30
                """, "guardrail.yaml");
        AuditReport r = new Audit(config, advisor(), ManagedPolicySnapshot.bundled(), 90, 1000, NOW)
                .run(AuthorizationDetailsReaderTest.account(), Optional.empty());

        assertThat(rules(r, ACCOUNT + "role/vendor-admin")).contains("ADMIN_ACCESS").doesNotContain("UNUSED_ROLE");
        assertThat(finding(r, ACCOUNT + "role/legacy-batch", "UNUSED_ROLE").severity()).isEqualTo(Severity.MEDIUM);
        assertThat(rules(r, ACCOUNT + "role/github-deploy")).doesNotContain("UNUSED_SERVICE").contains("UNUSED_ACTIONS");
    }

    @Test
    void everyRiskyPrincipalIsFoundWithTheSameRulesAsTheRealTimeEvaluator() {
        AuditReport r = offline();

        assertThat(rules(r, ACCOUNT + "role/vendor-admin")).contains("ADMIN_ACCESS", "TRUST_EXTERNAL_ACCOUNT",
                "PRIVILEGED_ROLE_EXPOSED", "TRUST_MISSING_EXTERNAL_ID", "UNUSED_ROLE");
        assertThat(rules(r, ACCOUNT + "role/github-deploy")).containsExactly("TRUST_OIDC_UNSCOPED");
        // The user's effective permissions include what its group grants.
        assertThat(rules(r, ACCOUNT + "user/ci-bot")).contains("CREDENTIALS_EXPOSURE", "PASSROLE_UNRESTRICTED");
        assertThat(rules(r, ACCOUNT + "group/developers")).contains("PASSROLE_UNRESTRICTED");
        assertThat(rules(r, ACCOUNT + "policy/developer-access")).contains("PASSROLE_UNRESTRICTED");
        assertThat(rules(r, ACCOUNT + "role/legacy-batch")).contains("UNUSED_ROLE");
        // The clean Lambda role: nothing beyond hygiene, used two days ago.
        assertThat(r.principals().stream().filter(p -> p.arn().endsWith("orders-api-handler"))
                .flatMap(p -> p.findings().stream()).map(i -> i.finding().severity()))
                .allMatch(s -> !s.atLeast(Severity.MEDIUM));
        assertThat(r.principals()).noneMatch(p -> p.arn().contains("AWSServiceRoleForSupport"));
        assertThat(r.notes()).contains("1 service-linked roles skipped: their policies and trust are AWS's");
        assertThat(r.cleanPrincipals()).contains(ACCOUNT + "policy/deploy-site");
        assertThat(r.principalsScanned()).isEqualTo(8);
    }

    @Test
    void principalsAreRankedWorstFirst() {
        AuditReport r = offline();
        assertThat(r.worst(10)).hasSize(7);
        assertThat(r.worst(10).get(0).worst()).isEqualTo(Severity.CRITICAL);
        assertThat(r.worst(10).get(r.worst(10).size() - 1).worst()).isEqualTo(Severity.LOW);
    }

    @Test
    void unusedRolesSayWhenTheyWereLastUsed() {
        AuditReport r = offline();
        Finding vendor = finding(r, ACCOUNT + "role/vendor-admin", "UNUSED_ROLE");
        assertThat(vendor.message()).isEqualTo("role `vendor-admin` was last used on 2026-03-02, more than 90 days ago");
        Finding legacy = finding(r, ACCOUNT + "role/legacy-batch", "UNUSED_ROLE");
        assertThat(legacy.message()).isEqualTo("role `legacy-batch` has no recorded use since it was created on 2024-05-01,"
                + " more than 90 days ago");
        assertThat(legacy.remediation()).contains("aws iam delete-role --role-name legacy-batch");
        // A longer window: the vendor role used in March is no longer unused.
        AuditReport year = new Audit(GuardrailConfig.defaults(), AccessAdvisor.NONE, ManagedPolicySnapshot.bundled(), 365,
                1000, NOW).run(AuthorizationDetailsReaderTest.account(), Optional.empty());
        assertThat(rules(year, ACCOUNT + "role/vendor-admin")).doesNotContain("UNUSED_ROLE");
    }

    @Test
    void accessAdvisorDataNamesTheConcretePolicyChange() {
        AccessAdvisor advisor = advisor();

        AuditReport r = audit(advisor).run(AuthorizationDetailsReaderTest.account(), Optional.empty());

        Finding cloudfront = finding(r, ACCOUNT + "role/github-deploy", "UNUSED_SERVICE");
        assertThat(cloudfront.message()).isEqualTo("role `github-deploy` is allowed `cloudfront` (Amazon CloudFront) but it"
                + " was never used in Access Advisor's tracking period");
        assertThat(cloudfront.remediation()).isEqualTo("remove `cloudfront:CreateInvalidation` from customer-managed policy"
                + " `arn:aws:iam::123456789012:policy/deploy-site` (a new default version; it may be attached elsewhere)");
        Finding delete = finding(r, ACCOUNT + "role/github-deploy", "UNUSED_ACTIONS");
        assertThat(delete.message()).contains("`s3:DeleteObject`").doesNotContain("PutObject");
        // Every service AdministratorAccess grants is unused: detach it.
        assertThat(r.principals().stream().filter(p -> p.arn().endsWith("vendor-admin")).flatMap(p -> p.findings().stream())
                .map(i -> i.finding()).filter(f -> f.ruleId().equals("UNUSED_SERVICE")).map(Finding::remediation))
                .containsOnly("detach `arn:aws:iam::aws:policy/AdministratorAccess` from role `vendor-admin`");
        assertThat(r.notes()).anyMatch(n -> n.contains("could not answer for 1 principals") && n.contains("AccessDenied"));
    }

    @Test
    void theNextRunMarksKnownFindingsAndListsResolvedOnes() {
        AuditReport first = offline();
        PreviousReport previous = AuditJson.readPrevious(AuditJson.write(first, "test"), "first");
        assertThat(previous.findings()).hasSize(first.findingCount());

        AccountSnapshot a = AuthorizationDetailsReaderTest.account();
        // The vendor role is deleted; a new risky role appears.
        List<AccountSnapshot.Role> roles = new ArrayList<>(a.roles().stream().filter(x -> !x.name().equals("vendor-admin")).toList());
        roles.add(new AccountSnapshot.Role("open-door", ACCOUNT + "role/open-door", "/", Optional.of(Instant.parse("2026-11-28T00:00:00Z")),
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}",
                Map.of(), List.of(), Optional.empty(), Optional.empty()));
        AuditReport second = audit(AccessAdvisor.NONE).run(new AccountSnapshot(a.accountId(), roles, a.users(), a.groups(),
                a.policies()), Optional.of(previous));

        assertThat(second.previous()).contains(NOW.instant());
        assertThat(second.principals().stream().flatMap(p -> p.findings().stream()).filter(AuditReport.Item::isNew)
                .map(i -> i.finding().principal().orElse("")))
                .isNotEmpty().allMatch(p -> p.endsWith("role/open-door"));
        assertThat(second.resolved()).isNotEmpty().allMatch(x -> x.principal().endsWith("role/vendor-admin"));
        assertThat(second.resolved()).extracting(AuditReport.Resolved::ruleId).contains("ADMIN_ACCESS", "UNUSED_ROLE");
    }

    @Test
    void aScheduledRunStoresBothReportsAndPublishesOneSummary() {
        InMemoryStore store = new InMemoryStore();
        List<Alert> published = new ArrayList<>();
        ScheduledAudit scheduled = new ScheduledAudit(AuthorizationDetailsReaderTest::account, audit(AccessAdvisor.NONE),
                store, a -> {
            published.add(a);
            return "m-" + published.size();
        }, "test");

        ScheduledAudit.Outcome first = scheduled.run();
        ScheduledAudit.Outcome second = scheduled.run();

        assertThat(store.saved).hasSize(2);
        assertThat(store.saved.get(0).html()).startsWith("<!DOCTYPE html>");
        assertThat(first.report().newCount()).isEqualTo(first.report().findingCount());
        assertThat(second.report().newCount()).isZero();
        assertThat(published).hasSize(2);
        Alert summary = published.get(0);
        assertThat(summary.subject()).isEqualTo("IAM Guardrail audit of 123456789012: 7 critical, 6 high, 24 new");
        assertThat(summary.attributes()).containsEntry("eventName", "ScheduledAudit").containsEntry("severity", "CRITICAL")
                .containsEntry("account", "123456789012");
        assertThat(summary.email()).contains("Ten worst principals:", "arn:aws:iam::123456789012:role/vendor-admin",
                "Full report (JSON and HTML): mem://1/");
        assertThat(published.get(1).email()).contains("New since the last report (0)", "Resolved since the last report (0)");
        assertThat(summary.json()).contains("\"bySeverity\":{\"CRITICAL\":7,\"HIGH\":6");
        // The e-mail opens with the few fixes that remove most of the risk, as the report's first screen does.
        assertThat(summary.email()).containsPattern("\\d+ problems in \\d+ policies and 2 principals; fixing the top \\d clears \\d+ of 13"
                + " CRITICAL/HIGH findings\n\nFix these first:\n 1\\. CRITICAL ");
        assertThat(summary.json()).containsPattern("\"problems\":\\d+,\"fixFirst\":\"");
    }

    @Test
    void anUnreadablePreviousReportIsNotedAndEverythingCountsAsNew() {
        InMemoryStore store = new InMemoryStore();
        store.saved.add(new InMemoryStore.Saved(Instant.EPOCH, "{\"schema\":\"something-else\"}", ""));
        ScheduledAudit.Outcome o = new ScheduledAudit(AuthorizationDetailsReaderTest::account, audit(AccessAdvisor.NONE),
                store, a -> "m", "test").run();
        assertThat(o.report().newCount()).isEqualTo(o.report().findingCount());
        assertThat(o.report().notes()).anyMatch(n -> n.startsWith("the previous report could not be read")
                && n.contains("expected an audit report with schema `iam-guardrail/audit/1` but found `something-else`"));
    }

    static Finding finding(AuditReport r, String arn, String ruleId) {
        return r.principals().stream().filter(p -> p.arn().equals(arn)).flatMap(p -> p.findings().stream())
                .map(AuditReport.Item::finding).filter(f -> f.ruleId().equals(ruleId)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + ruleId + " on " + arn + " in " + rules(r, arn)));
    }

    static final class InMemoryStore implements ReportStore {
        record Saved(Instant at, String json, String html) {
        }

        final List<Saved> saved = new ArrayList<>();

        @Override
        public Optional<String> latestJson() {
            return saved.isEmpty() ? Optional.empty() : Optional.of(saved.get(saved.size() - 1).json());
        }

        @Override
        public String save(Instant at, Supplier<String> json, Supplier<String> html) {
            saved.add(new Saved(at, json.get(), html.get()));
            return "mem://" + saved.size() + "/";
        }
    }

    /** Last use: the later of RoleLastUsed and the latest service Access Advisor saw used; offline a user's is unknown. */
    @Test
    void eachPrincipalSaysWhenItWasLastUsedAndWhoSaysSo() {
        AccessAdvisor advisor = arns -> new AccessAdvisor.Result(Map.of(
                ACCOUNT + "role/github-deploy", List.of(new AccessAdvisor.ServiceAccess("s3", "Amazon S3",
                        Optional.of(Instant.parse("2026-11-29T01:00:00Z")), List.of())),
                ACCOUNT + "user/ci-bot", List.of(
                        new AccessAdvisor.ServiceAccess("iam", "AWS Identity and Access Management",
                                Optional.of(Instant.parse("2026-11-25T09:00:00Z")), List.of()),
                        new AccessAdvisor.ServiceAccess("ecr", "Amazon ECR", Optional.empty(), List.of()))), Map.of());
        AuditReport live = audit(advisor).run(AuthorizationDetailsReaderTest.account(), Optional.empty());
        AuditReport offline = offline();

        assertThat(lastUsed(live, "role/github-deploy")).isEqualTo("2026-11-29");
        assertThat(lastUsed(offline, "role/github-deploy")).isEqualTo("2026-11-28");
        assertThat(lastUsed(live, "user/ci-bot")).isEqualTo("2026-11-25");
        assertThat(lastUsed(offline, "user/ci-bot")).isEqualTo("unknown");
        assertThat(lastUsed(offline, "role/legacy-batch")).isEqualTo("never (RoleLastUsed)");
    }

    private static String lastUsed(AuditReport r, String principal) {
        return r.principals().stream().filter(p -> p.arn().equals(ACCOUNT + principal)).findFirst()
                .orElseThrow().lastUsed().describe();
    }
}
