package io.iamguardrail.pipeline;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.event.CloudTrailEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static io.iamguardrail.pipeline.Events.event;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventEvaluatorTest {

    static final String LAMBDA_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String PASS_ANY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}]}";

    @Test
    void theLiveDocumentIsTheEventsCopyWhateverIamDidToItsFormatting() {
        String stored = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\","
                + "\"Resource\":\"*\"}]}";
        assertThat(EventEvaluator.sameDocument(stored, Optional.of(PASS_ANY))).isTrue();
        assertThat(EventEvaluator.sameDocument(stored, Optional.of(PASS_ANY.replace("Allow", "Deny")))).isFalse();
        assertThat(EventEvaluator.sameDocument(stored, Optional.empty())).isFalse();
        // What the reader refuses (a repeated key) is compared as text: only the very same text is the same.
        String repeated = "{\"Version\":\"2012-10-17\",\"Version\":\"2012-10-17\",\"Statement\":[]}";
        assertThat(EventEvaluator.sameDocument(repeated, Optional.of(repeated))).isTrue();
        assertThat(EventEvaluator.sameDocument(repeated, Optional.of(repeated.replace(",\"Statement", ", \"Statement"))))
                .isFalse();
    }
    static final String LAMBDA_ANY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"lambda:CreateFunction\",\"lambda:InvokeFunction\"],\"Resource\":\"*\"}]}";
    static final String READ_BUCKET = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::acme-reports/*\"}]}";
    static final String ADMIN = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    private final FakeIamState iam = new FakeIamState();

    private Decision evaluate(CloudTrailEvent e) {
        return new EventEvaluator(iam, GuardrailConfig.defaults(), Optional.of("arn:aws:iam::123456789012:role/iam-guardrail-evaluator")).evaluate(e);
    }

    private static Set<String> rules(Decision d) {
        Set<String> ids = new TreeSet<>();
        d.findings().forEach(f -> ids.add(f.ruleId()));
        return ids;
    }

    @Test
    void anInlinePolicyIsJudgedWithTheRolesOtherPolicies() {
        iam.role("builder", LAMBDA_TRUST, Map.of("pass", PASS_ANY), List.of("arn:aws:iam::123456789012:policy/lambda-deployer"))
                .policy("arn:aws:iam::123456789012:policy/lambda-deployer", "v1", LAMBDA_ANY, true);
        Decision d = evaluate(event("PutRolePolicy",
                "{\"roleName\":\"builder\",\"policyName\":\"pass\",\"policyDocument\":" + quoted(PASS_ANY) + "}"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(rules(d)).contains("PASSROLE_UNRESTRICTED", "PRIVILEGE_ESCALATION");
        assertThat(d.findings()).anyMatch(f -> f.ruleId().equals("PRIVILEGE_ESCALATION") && f.message().contains("together"));
        assertThat(d.target()).contains("role builder inline policy pass");
        assertThat(d.notes()).isEmpty();
    }

    @Test
    void whenTheLiveStateCannotBeReadTheEventCopyIsEvaluatedAndTheAlertSaysSo() {
        Decision d = evaluate(event("PutRolePolicy",
                "{\"roleName\":\"gone\",\"policyName\":\"pass\",\"policyDocument\":" + quoted(PASS_ANY) + "}"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(rules(d)).contains("PASSROLE_UNRESTRICTED");
        assertThat(d.notes()).anyMatch(n -> n.startsWith("live state of role gone could not be read (role gone not found"));
    }

    @Test
    void aFailedLookupWithNothingToEvaluateIsNeverCompliant() {
        Decision d = evaluate(event("AttachRolePolicy",
                "{\"roleName\":\"gone\",\"policyArn\":\"arn:aws:iam::123456789012:policy/unknown\"}"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(rules(d)).contains("UNVERIFIED_CHANGE");
    }

    @Test
    void attachingACustomerPolicyReadsItsDefaultVersion() {
        iam.role("app", LAMBDA_TRUST, Map.of(), List.of()).policy("arn:aws:iam::123456789012:policy/ops", "v3", ADMIN, true);
        Decision d = evaluate(event("AttachRolePolicy", "{\"roleName\":\"app\",\"policyArn\":\"arn:aws:iam::123456789012:policy/ops\"}"));
        assertThat(rules(d)).contains("ADMIN_ACCESS");
        assertThat(d.findings()).filteredOn(f -> f.ruleId().equals("ADMIN_ACCESS")).first()
                .extracting(Finding::severity).hasToString("CRITICAL");
    }

    @Test
    void aNewDefaultVersionIsDiffedAndJudgedForEveryPrincipalItIsAttachedTo() {
        String arn = "arn:aws:iam::123456789012:policy/shared";
        iam.policy(arn, "v1", READ_BUCKET, false).policy(arn, "v2", PASS_ANY, true);
        for (String role : List.of("a", "b", "c")) {
            iam.role(role, LAMBDA_TRUST, Map.of(), List.of(arn));
        }
        Decision d = evaluate(event("CreatePolicyVersion", "{\"policyArn\":\"" + arn + "\",\"setAsDefault\":true,"
                + "\"policyDocument\":" + quoted(PASS_ANY) + "}"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(d.newAccess()).contains("`iam:PassRole` newly allowed (on all resources)");
        assertThat(d.notes()).contains("attached to role a, role b, role c");
        assertThat(d.findings()).extracting(f -> f.principal().orElse(""))
                .contains("arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/b", "arn:aws:iam::123456789012:role/c");
    }

    @Test
    void aVersionThatIsNotTheDefaultIsReportedOneStepLower() {
        Decision d = evaluate(event("CreatePolicyVersion", "{\"policyArn\":\"arn:aws:iam::123456789012:policy/x\","
                + "\"setAsDefault\":false,\"policyDocument\":" + quoted(ADMIN) + "}"));
        Finding admin = d.findings().stream().filter(f -> f.ruleId().equals("ADMIN_ACCESS")).findFirst().orElseThrow();
        assertThat(admin.severity()).hasToString("HIGH");
        assertThat(admin.message()).contains("is not the default version");
    }

    @Test
    void addingAUserToAPrivilegedGroupIsReported() {
        iam.group("admins", Map.of("all", ADMIN), List.of());
        iam.group("readers", Map.of("read", READ_BUCKET), List.of());
        assertThat(rules(evaluate(event("AddUserToGroup", "{\"groupName\":\"admins\",\"userName\":\"bob\"}"))))
                .contains("PRIVILEGED_GROUP_MEMBERSHIP");
        Decision readers = evaluate(event("AddUserToGroup", "{\"groupName\":\"readers\",\"userName\":\"bob\"}"));
        assertThat(readers.verdict()).isEqualTo(Verdict.NO_ALERT);
    }

    @Test
    void skipsAreDecisionsWithReasons() {
        String failed = Events.json("AttachRolePolicy", "{\"roleName\":\"x\",\"policyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}")
                .replace("\"readOnly\":false", "\"readOnly\":false,\"errorCode\":\"AccessDenied\"");
        CloudTrailEvent e = io.iamguardrail.event.EventDecoder.decode(failed.getBytes(StandardCharsets.UTF_8)).event().orElseThrow();
        assertThat(evaluate(e).verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(evaluate(e).reason()).isEqualTo("failed call (AccessDenied): nothing changed");
        assertThat(evaluate(event("DeleteRole", "{\"roleName\":\"x\"}")).reason())
                .isEqualTo("access reduced: recorded, not alerted");
        assertThat(evaluate(event("ListRoles", "{}")).reason()).isEqualTo("event not handled: `ListRoles`");
    }

    @Test
    void theRequestCopyIsNeverUrlDecoded() {
        String doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::acme/reports/a+b%20c/*\"}]}";
        Decision d = evaluate(event("PutRolePolicy", "{\"roleName\":\"gone\",\"policyName\":\"p\",\"policyDocument\":" + quoted(doc) + "}"));
        assertThat(d.findings()).noneMatch(f -> f.ruleId().equals("MALFORMED_POLICY"));
    }

    @Test
    void aRedeliveredEventPublishesOnce() {
        iam.role("app", LAMBDA_TRUST, Map.of(), List.of());
        List<Alert> published = new ArrayList<>();
        EventLedger ledger = EventLedger.inMemory(java.time.Clock.systemUTC());
        GuardrailService service = new GuardrailService(new EventEvaluator(iam, GuardrailConfig.defaults(), Optional.empty()),
                a -> {
                    published.add(a);
                    return "m-" + published.size();
                }, ledger, DecisionLog.silent(), () -> iam.lookups);
        byte[] bytes = Events.json("PutRolePolicy", "{\"roleName\":\"app\",\"policyName\":\"all\",\"policyDocument\":" + quoted(ADMIN) + "}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(service.process(bytes, "a").decision().verdict()).isEqualTo(Verdict.ALERT);
        GuardrailService.Outcome again = service.process(bytes, "b");
        assertThat(again.decision().verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(again.decision().reason()).isEqualTo("event already processed (duplicate delivery)");
        assertThat(published).hasSize(1);
        Alert alert = published.get(0);
        assertThat(alert.subject()).hasSizeLessThan(100).startsWith("[CRITICAL] ");
        assertThat(alert.attributes()).containsEntry("severity", "CRITICAL").containsEntry("eventName", "PutRolePolicy")
                .containsEntry("account", "123456789012");
        assertThat(alert.attributes().get("ruleIds")).contains("ADMIN_ACCESS");
        assertThat(alert.json()).contains("\"schema\":\"iam-guardrail/alert/1\"", "\"mfa\":true", "\"sourceIp\":\"198.51.100.7\"");
        assertThat(alert.email()).contains("Who:", "Findings:", "ADMIN_ACCESS", "Fix:");
    }

    @Test
    void aFailedPublishGivesTheEventBackForTheRetry() {
        iam.role("app", LAMBDA_TRUST, Map.of(), List.of());
        EventLedger ledger = EventLedger.inMemory(java.time.Clock.systemUTC());
        int[] attempts = {0};
        GuardrailService service = new GuardrailService(new EventEvaluator(iam, GuardrailConfig.defaults(), Optional.empty()),
                a -> {
                    if (attempts[0]++ == 0) {
                        throw new IllegalStateException("SNS unavailable");
                    }
                    return "m-1";
                }, ledger, DecisionLog.silent(), () -> 0);
        byte[] bytes = Events.json("PutRolePolicy", "{\"roleName\":\"app\",\"policyName\":\"all\",\"policyDocument\":" + quoted(ADMIN) + "}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> service.process(bytes, "a")).hasMessage("SNS unavailable");
        assertThat(service.process(bytes, "retry").messageId()).contains("m-1");
    }

    @Test
    void malformedEventsAreErrorsWithAReason() {
        GuardrailService service = new GuardrailService(new EventEvaluator(iam, GuardrailConfig.defaults(), Optional.empty()),
                a -> "x", EventLedger.NONE, DecisionLog.silent(), () -> 0);
        Decision d = service.process("{\"detail\":{\"eventName\":".getBytes(StandardCharsets.UTF_8), "bad.json").decision();
        assertThat(d.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(d.reason()).startsWith("malformed event: ");
        assertThat(service.process("{\"detail\":{}}".getBytes(StandardCharsets.UTF_8), "x").decision().reason())
                .isEqualTo("malformed event: expected `detail.eventName` but the event has none");
    }
}
