package io.iamguardrail.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.remediation.OwnChange;
import io.iamguardrail.remediation.OwnChanges;
import io.iamguardrail.rules.Rules;
import io.iamguardrail.tamper.OwnStack;
import io.iamguardrail.tamper.StackResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Switching the guardrail off or blinding it, tried the way an insider would: the evaluator's configuration, its
 * rule, its alert subscription, its key, the trail, a deny-all on its role, a new quarantine policy version; and the
 * look-alikes and the daily heartbeat that must not be taken for tampering.
 */
class GuardrailTamperedTest {

    static final Path EVENTS = Path.of("../events");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String EVALUATOR_ROLE = "arn:aws:iam::123456789012:role/iam-guardrail-evaluator";
    static final Map<String, String> ENV = Map.of(
            "GUARDRAIL_STACK", "iam-guardrail",
            "GUARDRAIL_RESOURCES", "lambda:~-evaluator,lambda:iam-guardrail-audit,"
                    + "events:~-iam-change,events:~-org,sns:iam-guardrail-AlertTopic-Q1W2E3R4T5Y6,"
                    + "kms:1234abcd-12ab-34cd-56ef-1234567890ab,cloudtrail:iam-guardrail-iam,"
                    + "role:iam-guardrail-evaluator,role:iam-guardrail-canary,role:iam-guardrail-heartbeat,"
                    + "policy:iam-guardrail-quarantine",
            "HEARTBEAT_CANARY_ROLE", "iam-guardrail-canary",
            "HEARTBEAT_CALLER_ROLE_ARN", "arn:aws:iam::123456789012:role/iam-guardrail-heartbeat");

    private final OwnChanges own = OwnChanges.inMemory(Clock.systemUTC());
    private final EventEvaluator evaluator = evaluator(GuardrailConfig.defaults());

    private EventEvaluator evaluator(GuardrailConfig config) {
        return new EventEvaluator(new FakeIamState(), config,
                GuardrailIdentity.of(Optional.of(EVALUATOR_ROLE), Optional.empty(), own), OwnStack.fromEnvironment(ENV));
    }

    static ObjectNode sample(String file) throws IOException {
        return (ObjectNode) JSON.readTree(EVENTS.resolve(file).toFile());
    }

    static CloudTrailEvent event(ObjectNode json) throws IOException {
        return EventDecoder.decode(JSON.writeValueAsBytes(json)).event().orElseThrow();
    }

    static ObjectNode request(ObjectNode json) {
        return (ObjectNode) json.get("detail").get("requestParameters");
    }

    private static Optional<Finding> tampered(Decision d) {
        return d.findings().stream().filter(f -> f.ruleId().equals("GUARDRAIL_TAMPERED")).findFirst();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tamper-lambda-update-function-configuration.json|lambda `iam-guardrail-evaluator`",
            "tamper-events-disable-rule.json|events `iam-guardrail-iam-change`",
            "tamper-sns-unsubscribe.json|sns `iam-guardrail-AlertTopic-Q1W2E3R4T5Y6`",
            "tamper-kms-schedule-key-deletion.json|kms `1234abcd-12ab-34cd-56ef-1234567890ab`",
            "tamper-cloudtrail-stop-logging.json|cloudtrail `iam-guardrail-iam`",
            "tamper-put-role-policy-deny-all-on-evaluator.json|role `iam-guardrail-evaluator`"})
    void switchingOffOrBlindingTheGuardrailIsACriticalAlertNamingWhatWasChanged(String sampleAndWhat) throws IOException {
        String[] parts = sampleAndWhat.split("\\|");
        Decision d = evaluator.evaluate(event(sample(parts[0])));

        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        Finding f = tampered(d).orElseThrow();
        assertThat(f.severity().name()).isEqualTo("CRITICAL");
        assertThat(f.message()).contains("guardrail's own " + parts[1]).contains("mallory@example.com");
    }

    @Test
    void aDenyAllOnTheEvaluatorsRoleIsCleanAsAPolicyButStillTampering() throws IOException {
        ObjectNode deny = sample("tamper-put-role-policy-deny-all-on-evaluator.json");
        Decision onAnotherRole;
        request(deny).put("roleName", "orders-api");
        onAnotherRole = evaluator.evaluate(event(deny));

        assertThat(onAnotherRole.findings()).noneMatch(f -> f.ruleId().equals("GUARDRAIL_TAMPERED"));
        assertThat(onAnotherRole.verdict()).isNotEqualTo(Verdict.ALERT);
    }

    @Test
    void aFunctionRuleOrTopicNamedLikeTheGuardrailsIsNotTheGuardrail() throws IOException {
        ObjectNode fn = sample("tamper-lambda-update-function-configuration.json");
        request(fn).put("functionName", "iam-guardrail-evaluator-x");
        ObjectNode rule = sample("tamper-events-disable-rule.json");
        request(rule).put("name", "iam-guardrail-iam-change-copy");
        ObjectNode topic = sample("tamper-sns-unsubscribe.json");
        request(topic).put("subscriptionArn", "arn:aws:sns:us-east-1:123456789012:iam-guardrail-AlertTopic-Q1W2E3R4T5Y6x:8f1d3b0e");

        for (ObjectNode lookalike : new ObjectNode[] {fn, rule, topic}) {
            assertThat(tampered(evaluator.evaluate(event(lookalike)))).as(lookalike.toString()).isEmpty();
        }
    }

    @Test
    void theStacksNameIsWrittenOnceAndAnEntryThatNeedsItWithoutItFailsTheInit() {
        assertThat(StackResources.parse("lambda:~-evaluator,logs:/aws/lambda/~-audit", Optional.of("prod-guardrail"))
                .contains("logs", "/aws/lambda/prod-guardrail-audit")).isTrue();
        assertThatThrownBy(() -> OwnStack.fromEnvironment(Map.of("GUARDRAIL_RESOURCES", "lambda:~-evaluator")))
                .hasMessageContaining("expected GUARDRAIL_STACK").hasMessageContaining("lambda:~-evaluator");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DeleteEventBus|name", "PutPermission|eventBusName", "RemovePermission|eventBusName"})
    void deletingOrReopeningTheHubsOrganizationBusIsTampering(String callAndField) throws IOException {
        String[] parts = callAndField.split("\\|");
        ObjectNode call = sample("tamper-events-disable-rule.json");
        ((ObjectNode) call.get("detail")).put("eventName", parts[0]);
        ObjectNode parameters = request(call);
        parameters.removeAll();
        parameters.put(parts[1], "iam-guardrail-org");
        ObjectNode otherBus = call.deepCopy();
        request(otherBus).put(parts[1], "orders-bus");

        Finding f = tampered(evaluator.evaluate(event(call))).orElseThrow();
        assertThat(f.message()).contains("guardrail's own events `iam-guardrail-org`");
        assertThat(tampered(evaluator.evaluate(event(otherBus)))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:lambda:us-east-1:123456789012:function:iam-guardrail-evaluator",
            "arn:aws:lambda:us-east-1:123456789012:function:iam-guardrail-evaluator:live",
            "123456789012:function:iam-guardrail-evaluator", "iam-guardrail-evaluator:$LATEST"})
    void theEvaluatorNamedByArnPartialArnOrQualifierIsStillTheEvaluator(String name) throws IOException {
        ObjectNode fn = sample("tamper-lambda-update-function-configuration.json");
        request(fn).put("functionName", name);

        assertThat(tampered(evaluator.evaluate(event(fn)))).isPresent();
    }

    @Test
    void aNewDefaultVersionOfTheQuarantinePolicyThatAllowsSomethingIsTampering() {
        String neutered = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}";
        CloudTrailEvent e = Events.event("CreatePolicyVersion", "{\"policyArn\":\"arn:aws:iam::123456789012:policy/iam-guardrail-quarantine\","
                + "\"policyDocument\":" + quoted(neutered) + ",\"setAsDefault\":true}");

        Decision d = evaluator.evaluate(e);

        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(tampered(d).orElseThrow().message()).contains("policy `iam-guardrail-quarantine`");
    }

    @Test
    void turningTheRuleOffInTheConfigurationDoesNotSilenceIt() throws Exception {
        GuardrailConfig off = new ConfigLoader(Rules.configurableIds()).load("""
                rules:
                  GUARDRAIL_TAMPERED:
                    enabled: false
                """, "config.yaml");

        Decision d = evaluator(off).evaluate(event(sample("tamper-events-disable-rule.json")));

        assertThat(tampered(d)).isPresent();
        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
    }

    @Test
    void theDailyHeartbeatIsCountedAndNotAlerted() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GuardrailService service = new GuardrailService(evaluator, a -> {
            throw new AssertionError("the heartbeat must not be published");
        }, EventLedger.NONE, new DecisionLog(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC()), () -> 0);

        Decision d = service.process(JSON.writeValueAsBytes(sample("heartbeat-tag-canary-role.json")), "heartbeat").decision();

        assertThat(d.verdict()).isEqualTo(Verdict.NO_ALERT);
        assertThat(d.findings()).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"Name\":\"HeartbeatReceived\"")
                .contains("\"HeartbeatReceived\":1");
    }

    @Test
    void anythingElseIsNotAHeartbeatAndCountsZero() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GuardrailService service = new GuardrailService(evaluator, a -> "id", EventLedger.NONE,
                new DecisionLog(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC()), () -> 0);

        service.process(JSON.writeValueAsBytes(sample("update-role-description-unhandled.json")), "tag");

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"HeartbeatReceived\":0");
    }

    @Test
    void theCanaryTaggedBySomeoneElseOrTheHeartbeatRoleTaggingAnythingElseIsTampering() throws IOException {
        ObjectNode bySomeoneElse = sample("heartbeat-tag-canary-role.json");
        ((ObjectNode) bySomeoneElse.get("detail")).set("userIdentity",
                sample("tamper-events-disable-rule.json").get("detail").get("userIdentity"));
        ObjectNode otherRole = sample("heartbeat-tag-canary-role.json");
        request(otherRole).put("roleName", "iam-guardrail-evaluator");
        ObjectNode untag = sample("heartbeat-tag-canary-role.json");
        ((ObjectNode) untag.get("detail")).put("eventName", "UpdateAssumeRolePolicy");

        for (ObjectNode e : new ObjectNode[] {bySomeoneElse, otherRole, untag}) {
            Decision d = evaluator.evaluate(event(e));
            assertThat(tampered(d)).as(e.get("detail").toString()).isPresent();
            assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        }
    }

    @Test
    void aChangeTheGuardrailRecordedBeforeMakingItIsNotTamperingAnUnrecordedOneIs() {
        String request = "{\"roleName\":\"iam-guardrail-canary\",\"policyArn\":\"arn:aws:iam::123456789012:policy/iam-guardrail-quarantine\"}";
        CloudTrailEvent byTheEvaluator = GuardrailRoleMisuseTest.as(EVALUATOR_ROLE, "AttachRolePolicy", request);
        own.expect(OwnChange.of(byTheEvaluator));

        assertThat(evaluator.evaluate(byTheEvaluator).verdict()).isEqualTo(Verdict.SKIPPED);

        // The same call made again (another event, the record spent) by anyone with the evaluator's role.
        CloudTrailEvent anotherCall = io.iamguardrail.event.EventDecoder.decode(Events.json("AttachRolePolicy", request)
                .replace("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123", EVALUATOR_ROLE)
                .replace("evt-AttachRolePolicy", "evt-another-call").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .event().orElseThrow();
        Decision again = evaluator.evaluate(anotherCall);
        assertThat(again.findings()).extracting(Finding::ruleId).contains("GUARDRAIL_TAMPERED", "GUARDRAIL_ROLE_MISUSE");
    }
}
