package io.iamguardrail.pipeline;

import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.handlers.EvaluatorHandler;
import io.iamguardrail.rules.Rules;
import io.iamguardrail.wiring.AwsClients;
import io.iamguardrail.wiring.EvaluatorEnvironment;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.EventEvaluatorTest.ADMIN;
import static io.iamguardrail.pipeline.EventEvaluatorTest.LAMBDA_TRUST;
import static io.iamguardrail.pipeline.EventEvaluatorTest.READ_BUCKET;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Anyone allowed to invoke the function can hand it an event CloudTrail never sent, and every principal it watches
 * would like to be left alone: the live state decides, exemptions come only from the configuration, secrets never
 * leave, and what cannot be an event fails loudly.
 */
class ForgedInputTest {

    static final String PUBLIC_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";

    private final FakeIamState iam = new FakeIamState();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final List<Alert> published = new ArrayList<>();

    private GuardrailService service(GuardrailConfig config) {
        return new GuardrailService(new EventEvaluator(iam, config, Optional.empty()), a -> {
            published.add(a);
            return "m-" + published.size();
        }, EventLedger.NONE, new DecisionLog(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC()),
                () -> iam.lookups);
    }

    private GuardrailService.Outcome process(String event) {
        return service(GuardrailConfig.defaults()).process(event.getBytes(StandardCharsets.UTF_8), "forged");
    }

    @Test
    void aForgedRiskyInlinePolicyOnACompliantRoleIsJudgedByWhatIamHas() {
        iam.role("reports", LAMBDA_TRUST, Map.of("read", READ_BUCKET), List.of());
        GuardrailService.Outcome o = process(Events.json("PutRolePolicy",
                "{\"roleName\":\"reports\",\"policyName\":\"read\",\"policyDocument\":" + quoted(ADMIN) + "}"));
        assertThat(o.decision().verdict()).isEqualTo(Verdict.NO_ALERT);
        assertThat(o.decision().findings()).noneMatch(f -> f.ruleId().equals("ADMIN_ACCESS"));
        assertThat(o.decision().notes()).containsExactly("the event's document for the inline policy `read` of role"
                + " reports is not what IAM has now (changed again since, or an event CloudTrail never sent): judged"
                + " IAM's document");
        assertThat(published).isEmpty();
    }

    @Test
    void theSameDocumentAsIamStoresItIsTheChangeItself() {
        // IAM gives the document back in its own formatting and key order; the change is still the one in the event.
        String stored = "{\"Statement\":[{\"Resource\":\"*\",\"Action\":\"*\",\"Effect\":\"Allow\"}],\"Version\":\"2012-10-17\"}";
        iam.role("reports", LAMBDA_TRUST, Map.of("all", stored), List.of());
        GuardrailService.Outcome o = process(Events.json("PutRolePolicy",
                "{\"roleName\":\"reports\",\"policyName\":\"all\",\"policyDocument\":" + quoted(ADMIN) + "}"));
        assertThat(o.decision().verdict()).isEqualTo(Verdict.ALERT);
        assertThat(o.decision().findings()).anyMatch(f -> f.ruleId().equals("ADMIN_ACCESS"));
        assertThat(o.decision().notes()).isEmpty();
    }

    @Test
    void aChangeIamDoesNotShowIsStillReportedAndTheAlertSaysItIsNotVisible() {
        iam.role("reports", LAMBDA_TRUST, Map.of(), List.of());
        GuardrailService.Outcome o = process(Events.json("PutRolePolicy",
                "{\"roleName\":\"reports\",\"policyName\":\"all\",\"policyDocument\":" + quoted(ADMIN) + "}"));
        assertThat(o.decision().verdict()).isEqualTo(Verdict.ALERT);
        assertThat(o.alert().orElseThrow().json()).contains("the inline policy `all` of role reports is not visible in"
                + " IAM now (undone since, not yet visible, or an event CloudTrail never sent): judged from the event's"
                + " copy; check IAM before acting");
    }

    @Test
    void aForgedPublicTrustOnARoleWhoseTrustIsScopedIsNotAlerted() {
        iam.role("worker", LAMBDA_TRUST, Map.of(), List.of());
        GuardrailService.Outcome o = process(Events.json("UpdateAssumeRolePolicy",
                "{\"roleName\":\"worker\",\"policyDocument\":" + quoted(PUBLIC_TRUST) + "}"));
        assertThat(o.decision().findings()).noneMatch(f -> f.ruleId().startsWith("TRUST_ANY_PRINCIPAL"));
        assertThat(o.decision().notes()).anyMatch(n -> n.startsWith("the event's document for the trust policy of role worker"));
        assertThat(published).isEmpty();
    }

    @Test
    void aForgedCreateRoleWithAPublicTrustIsJudgedByTheTrustIamHas() {
        iam.role("worker", LAMBDA_TRUST, Map.of(), List.of());
        GuardrailService.Outcome o = process(Events.json("CreateRole",
                "{\"roleName\":\"worker\",\"assumeRolePolicyDocument\":" + quoted(PUBLIC_TRUST) + "}"));
        assertThat(o.decision().verdict()).isEqualTo(Verdict.NO_ALERT);
        assertThat(o.decision().notes()).containsExactly("the event's document for the trust policy of role worker is"
                + " not what IAM has now (changed again since, or an event CloudTrail never sent): judged IAM's document");
    }

    @Test
    void aPrincipalsOwnTagsNeverExemptIt() throws Exception {
        // Tags are the principal's to set (iam:TagRole); only the configuration can exempt, and only what it names.
        GuardrailConfig config = new ConfigLoader(Rules.configurableIds()).load("""
                exemptions:
                  - principal: arn:aws:iam::123456789012:role/break-glass
                    rules: [TRUST_ANY_PRINCIPAL]
                    reason: audited break-glass role
                """, "config.yaml");
        iam.role("open", PUBLIC_TRUST, Map.of(), List.of());
        String tags = ",\"tags\":[{\"key\":\"iam-guardrail:exempt\",\"value\":\"true\"},{\"key\":\"exempt\",\"value\":\"TRUST_ANY_PRINCIPAL\"},"
                + "{\"key\":\"iam-guardrail-exemption\",\"value\":\"arn:aws:iam::123456789012:role/open\"}]";
        GuardrailService.Outcome o = service(config).process(Events.json("CreateRole", "{\"roleName\":\"open\","
                + "\"assumeRolePolicyDocument\":" + quoted(PUBLIC_TRUST) + tags + "}").getBytes(StandardCharsets.UTF_8), "tags");
        assertThat(o.decision().verdict()).isEqualTo(Verdict.ALERT);
        assertThat(o.decision().findings()).anyMatch(f -> f.ruleId().equals("TRUST_ANY_PRINCIPAL"));

        iam.role("break-glass", PUBLIC_TRUST, Map.of(), List.of());
        GuardrailService.Outcome exempt = service(config).process(Events.json("CreateRole", "{\"roleName\":\"break-glass\","
                + "\"assumeRolePolicyDocument\":" + quoted(PUBLIC_TRUST) + "}").getBytes(StandardCharsets.UTF_8), "config");
        assertThat(exempt.decision().findings()).noneMatch(f -> f.ruleId().equals("TRUST_ANY_PRINCIPAL"));
    }

    @Test
    void aSecretKeyInAForgedEventNeverReachesTheLogOrTheAlert() {
        // CloudTrail never records the secret of a new key; a forged event may carry one anywhere.
        iam.role("unused", LAMBDA_TRUST, Map.of(), List.of());
        String event = Events.json("CreateAccessKey", "{\"userName\":\"backup-admin\",\"secretAccessKey\":\"" + SECRET + "\"}")
                .replace("\"responseElements\":null", "\"responseElements\":{\"accessKey\":{\"userName\":\"backup-admin\","
                        + "\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"status\":\"Active\",\"secretAccessKey\":\"" + SECRET + "\","
                        + "\"createDate\":\"Nov 28, 2026 3:00:00 PM\"}}");
        GuardrailService.Outcome o = process(event);
        assertThat(o.decision().verdict()).as("a key created for another user").isEqualTo(Verdict.ALERT);
        Alert alert = o.alert().orElseThrow();
        assertThat(alert.json() + alert.email() + alert.subject() + alert.attributes()).doesNotContain(SECRET);
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("\"verdict\":\"ALERT\"").doesNotContain(SECRET);
    }

    @Test
    void anEventLargerThanEventBridgeCanDeliverFailsTheInvocationWithTheReason() {
        iam.role("reports", LAMBDA_TRUST, Map.of(), List.of());
        String padding = "x".repeat(EventDecoder.MAX_BYTES);
        String huge = Events.json("PutRolePolicy", "{\"roleName\":\"reports\",\"policyName\":\"all\",\"policyDocument\":"
                + quoted(ADMIN) + ",\"padding\":\"" + padding + "\"}");
        EvaluatorHandler handler = new EvaluatorHandler(service(GuardrailConfig.defaults()));
        assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed event: expected an event of at most 262144 bytes (the EventBridge limit)"
                        + " but found " + huge.length() + " bytes");
        assertThat(published).isEmpty();
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("\"level\":\"ERROR\"", "\"verdict\":\"ERROR\"",
                "at most 262144 bytes");
    }

    @Test
    void aMalformedEventFailsTheInvocationWithWhereItBreaks() {
        EvaluatorHandler handler = new EvaluatorHandler(service(GuardrailConfig.defaults()));
        String truncated = Events.json("PutRolePolicy", "{\"roleName\":\"reports\"}");
        byte[] bytes = truncated.substring(0, truncated.length() / 2).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream(bytes), new ByteArrayOutputStream(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("malformed event: / \\(line \\d+, column \\d+\\): expected a complete JSON or YAML"
                        + " document but the input ends early .*");
        assertThat(published).isEmpty();
    }

    @Test
    void aWebhookUrlInTheWrongConfigurationKeyIsNotPrintedInTheInitError() {
        String webhook = "https://hooks.slack.com/services/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";
        Map<String, String> env = Map.of("TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:alerts",
                "GUARDRAIL_CONFIG", "organizationId: " + webhook + "\n");
        assertThatThrownBy(() -> EvaluatorEnvironment.service(env, AwsClients.of(null, null, null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected `organizationId` of the form o-xxxxxxxxxx but found"
                        + " `https://hooks.slack.com/[redacted]`")
                .hasMessageNotContaining("T0123ABCD").hasNoCause();
    }

    @Test
    void secretsAreMaskedWhereverAMessageQuotesThem() {
        assertThat(Secrets.redact("posting to https://hooks.slack.com/services/T0/B0/abcdefgh failed"))
                .isEqualTo("posting to https://hooks.slack.com/[redacted] failed");
        assertThat(Secrets.redact("{\"secretAccessKey\":\"" + SECRET + "\",\"userName\":\"bob\"}"))
                .isEqualTo("{\"secretAccessKey\":\"[redacted]\",\"userName\":\"bob\"}");
        assertThat(Secrets.redact("expected `mode` but found `password=hunter2hunter2`"))
                .isEqualTo("expected `mode` but found `password=[redacted]`");
        assertThat(Secrets.redact("role deploy inline policy read-reports")).isEqualTo("role deploy inline policy read-reports");
    }
}
