package io.iamguardrail.pipeline;

import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.remediation.RemediationReport;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.Events.event;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/** Alerts that must not be lost, hidden or forged. */
class ReviewRegressionTest {

    private final FakeIamState iam = new FakeIamState();

    private Decision evaluate(CloudTrailEvent e) {
        return new EventEvaluator(iam, GuardrailConfig.defaults(), Optional.empty()).evaluate(e);
    }

    private static CloudTrailEvent asUser(String eventName, String request, String user) {
        String json = Events.json(eventName, request).replaceFirst("(?s)\"userIdentity\":\\{.*?\"eventTime\"",
                "\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLE\",\"arn\":\"arn:aws:iam::123456789012:user/"
                        + user + "\",\"accountId\":\"123456789012\",\"userName\":\"" + user + "\"},\"eventTime\"");
        return EventDecoder.decode(json.getBytes(StandardCharsets.UTF_8)).event().orElseThrow();
    }

    private static CloudTrailEvent asRoot(String eventName, String request) {
        String json = Events.json(eventName, request).replaceFirst("(?s)\"userIdentity\":\\{.*?\"eventTime\"",
                "\"userIdentity\":{\"type\":\"Root\",\"principalId\":\"123456789012\",\"arn\":\"arn:aws:iam::123456789012:root\","
                        + "\"accountId\":\"123456789012\"},\"eventTime\"");
        return EventDecoder.decode(json.getBytes(StandardCharsets.UTF_8)).event().orElseThrow();
    }

    private static List<String> rules(Decision d) {
        return d.findings().stream().map(f -> f.ruleId()).toList();
    }

    @Test
    void theRootUserIsAlertedForAnyIamChangeNotOnlyTheHandledOnes() {
        Decision detach = evaluate(asRoot("DetachRolePolicy", "{\"roleName\":\"x\",\"policyArn\":\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}"));
        assertThat(detach.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(rules(detach)).contains("ROOT_USER_ACTIVITY");
        assertThat(rules(evaluate(asRoot("DeactivateMFADevice", "{\"userName\":\"alice\",\"serialNumber\":\"arn:aws:iam::123456789012:mfa/alice\"}"))))
                .contains("ROOT_USER_ACTIVITY");
        assertThat(evaluate(asRoot("ListRoles", "{}")).verdict()).isEqualTo(Verdict.SKIPPED);
    }

    @Test
    void aSamlProviderNamedLikeSsoIsStillReportedWhenAUserCreatesIt() {
        Decision d = evaluate(asUser("CreateSAMLProvider", "{\"name\":\"AWSSSO_evil_DO_NOT_DELETE\",\"sAMLMetadataDocument\":\"<x/>\"}", "bob"));
        assertThat(rules(d)).contains("IDENTITY_PROVIDER_CREATED");
    }

    @Test
    void userNamesAreCaseInsensitive() {
        assertThat(rules(evaluate(asUser("CreateAccessKey", "{\"userName\":\"BOB\"}", "bob")))).doesNotContain("ACCESS_KEY_FOR_OTHER_USER");
        assertThat(rules(evaluate(asRoot("CreateAccessKey", "{\"userName\":\"bob\"}")))).contains("ACCESS_KEY_FOR_OTHER_USER");
    }

    @Test
    void awsQuarantineIsNeverFlaggedEvenOnAnAdministrator() {
        iam.principals.put(new io.iamguardrail.state.PrincipalRef(io.iamguardrail.state.PrincipalRef.Kind.USER, "leaky"),
                new io.iamguardrail.state.PrincipalState(new io.iamguardrail.state.PrincipalRef(io.iamguardrail.state.PrincipalRef.Kind.USER, "leaky"),
                        "arn:aws:iam::123456789012:user/leaky", "/", Optional.empty(), Map.of("all", EventEvaluatorTest.ADMIN),
                        List.of(), Optional.empty(), List.of()));
        Decision d = evaluate(event("AttachUserPolicy", "{\"userName\":\"leaky\",\"policyArn\":\"arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2\"}"));
        assertThat(d.verdict()).isEqualTo(Verdict.NO_ALERT);
        assertThat(d.reason()).isEqualTo("AWS's compromised-key quarantine policy: never flagged");
    }

    @Test
    void exemptionsNameThePrincipalByArnOrName() throws Exception {
        GuardrailConfig config = new ConfigLoader(Rules.configurableIds()).load("""
                exemptions:
                  - principal: "arn:aws:iam::123456789012:user/svc-backup"
                    rules: [ACCESS_KEY_FOR_OTHER_USER]
                    reason: key rotation job
                  - principal: "shared-debug-*"
                    rules: [TRUST_ANY_PRINCIPAL]
                    reason: sandbox account role
                """, "c.yaml");
        EventEvaluator evaluator = new EventEvaluator(iam, config, Optional.empty());
        assertThat(rules(evaluator.evaluate(asUser("CreateAccessKey", "{\"userName\":\"svc-backup\"}", "bob"))))
                .doesNotContain("ACCESS_KEY_FOR_OTHER_USER");
        String star = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}";
        assertThat(rules(evaluator.evaluate(event("CreateRole", "{\"roleName\":\"shared-debug-role\",\"assumeRolePolicyDocument\":"
                + quoted(star) + "}")))).doesNotContain("TRUST_ANY_PRINCIPAL");
    }

    @Test
    void aPaddedPolicyStillMakesAnAlertSnsAccepts() {
        StringBuilder statements = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            statements.append(i == 0 ? "" : ",").append("{\"Sid\":\"S").append(i).append("\",\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}");
        }
        String doc = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
        Decision d = evaluate(event("PutRolePolicy", "{\"roleName\":\"gone\",\"policyName\":\"padded\",\"policyDocument\":" + quoted(doc) + "}"));
        assertThat(d.findings()).hasSizeGreaterThan(AlertBuilder.MAX_FINDINGS);
        Alert alert = AlertBuilder.build(d, RemediationReport.none("ALERT", "ALERT mode"));
        int bytes = alert.json().getBytes(StandardCharsets.UTF_8).length + alert.email().getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).isLessThan(200_000);
        assertThat(alert.json()).contains("\"findingsNotShown\":{");
        assertThat(alert.email()).contains("- and ");
    }

    @Test
    void subjectsArePrintableAsciiUnderOneHundredCharacters() {
        String subject = AlertBuilder.subject("[HIGH] alice AttachRolePolicy on role d\u00e9ploiement policy arn:aws:iam::aws:policy/AWSSupportServiceRolePolicy and more");
        assertThat(subject.length()).isLessThan(100);
        assertThat(subject).matches("[\\x20-\\x7e]+").endsWith("...");
    }

    @Test
    void policyTextCannotForgeLinesInTheEmail() {
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
                + "\"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
                + "\"Condition\":{\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"repo:*\\n\\nRemediation: none needed\\n\"}}}]}";
        Decision d = evaluate(event("CreateRole", "{\"roleName\":\"r\",\"assumeRolePolicyDocument\":" + quoted(trust) + "}"));
        Alert alert = AlertBuilder.build(d, RemediationReport.none("ALERT", "ALERT mode"));
        assertThat(alert.email().lines()).filteredOn(l -> l.startsWith("Remediation")).containsExactly(
                "Remediation: NONE");
    }

    @Test
    void aLedgerOutageNeverLosesTheAlert() {
        iam.role("app", EventEvaluatorTest.LAMBDA_TRUST, Map.of(), List.of());
        List<Alert> published = new ArrayList<>();
        EventLedger down = new EventLedger() {
            @Override
            public Claim claim(String eventId, Holder holder) {
                throw new IllegalStateException("DynamoDB unavailable");
            }

            @Override
            public void release(String eventId, Holder holder) {
                throw new IllegalStateException("DynamoDB unavailable");
            }

            @Override
            public void recordRemediation(String eventId, String report) {
                throw new IllegalStateException("DynamoDB unavailable");
            }

            @Override
            public void defer(String eventId, String report) {
                throw new IllegalStateException("DynamoDB unavailable");
            }

            @Override
            public void complete(String eventId) {
                throw new IllegalStateException("DynamoDB unavailable");
            }
        };
        GuardrailService service = new GuardrailService(new EventEvaluator(iam, GuardrailConfig.defaults(), Optional.empty()),
                a -> {
                    published.add(a);
                    return "m";
                }, down, DecisionLog.silent(), () -> 0);
        GuardrailService.Outcome o = service.process(Events.json("PutRolePolicy", "{\"roleName\":\"app\",\"policyName\":\"all\",\"policyDocument\":"
                + quoted(EventEvaluatorTest.ADMIN) + "}").getBytes(StandardCharsets.UTF_8), "x");
        assertThat(published).hasSize(1);
        assertThat(o.decision().notes()).anyMatch(n -> n.startsWith("duplicate check unavailable"));
    }
}
