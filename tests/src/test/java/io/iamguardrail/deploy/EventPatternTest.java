package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.change.EventKind.Handling;
import io.iamguardrail.change.EventKind;
import io.iamguardrail.tamper.TamperEvents;
import io.iamguardrail.tamper.WatchedCall;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.Machine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EventBridge rules of template.yaml, run by Event Ruler (the matching library behind EventBridge) against the
 * samples in events/: every handled change is delivered exactly once, failed calls and other services never.
 */
class EventPatternTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
    /** The account of every sample in events/, and so the account the rules are deployed in here. */
    static final String DEPLOYED_IN = "123456789012";
    static Machine rules;
    static Map<String, JsonNode> patterns;

    @BeforeAll
    static void loadRules() throws Exception {
        patterns = new java.util.TreeMap<>();
        rules = new Machine();
        for (Map.Entry<String, JsonNode> e : DeployTemplate.evaluatorRules().entrySet()) {
            ObjectNode pattern = (ObjectNode) e.getValue().path("EventPattern").deepCopy();
            // The template names the stack's account (!Ref AWS::AccountId); the samples were recorded in this one.
            assertThat(pattern.path("account").toString()).as(e.getKey()).isEqualTo("[\"AWS::AccountId\"]");
            pattern.putArray("account").add(DEPLOYED_IN);
            withConditionsTrue(pattern);
            patterns.put(e.getKey(), pattern);
            rules.addRule(e.getKey(), JSON.writeValueAsString(pattern));
        }
        assertThat(patterns).containsOnlyKeys("IamChange", "RootIamActivity", "ResourcePolicyChange", "GuardrailTampered",
                "GuardrailRolesChanged", "GuardrailPoliciesChanged");
    }

    static List<String> match(JsonNode event) throws Exception {
        return rules.rulesForJSONEvent(JSON.writeValueAsString(event));
    }

    static JsonNode sample(String file) throws IOException {
        return JSON.readTree(ROOT.resolve("events").resolve(file).toFile());
    }

    static List<String> samples() throws IOException {
        List<String> files = new ArrayList<>();
        for (JsonNode e : JSON.readTree(ROOT.resolve("events/manifest.json").toFile()).path("events")) {
            files.add(e.path("file").asText());
        }
        return files;
    }

    @Test
    void theRulesListExactlyTheCallsOfTheTableOfEventKinds() {
        Set<String> listed = new TreeSet<>();
        patterns.get("IamChange").path("detail").path("eventName").forEach(n -> listed.add(n.asText()));
        Set<String> excluded = new TreeSet<>();
        patterns.get("RootIamActivity").path("detail").path("eventName").get(0).path("anything-but")
                .forEach(n -> excluded.add(n.asText()));

        Set<String> judged = new TreeSet<>(EventKind.names(Handling.EVALUATED));
        judged.addAll(EventKind.names(Handling.WATCHED));
        assertThat(listed).isEqualTo(judged);
        // The root rule takes everything else, so that no root change is delivered twice.
        assertThat(excluded).isEqualTo(listed);

        Set<String> resource = new TreeSet<>();
        patterns.get("ResourcePolicyChange").path("detail").path("eventName").forEach(n -> resource.add(n.asText()));
        assertThat(resource).isEqualTo(new TreeSet<>(EventKind.names(Handling.RESOURCE_POLICY)));
        Set<String> sources = new TreeSet<>();
        patterns.get("ResourcePolicyChange").path("source").forEach(n -> sources.add(n.asText()));
        assertThat(sources).isEqualTo(new TreeSet<>(EventKind.sources(Handling.RESOURCE_POLICY)));
    }

    @Test
    void eachPatternFitsEventBridgesDefaultSizeQuotaAsTheWatchListGrows() {
        // EventBridge refuses a pattern over 2048 characters unless the account's quota was raised: the deploy fails.
        patterns.forEach((rule, pattern) -> assertThat(pattern.toString().length())
                .as("%s pattern size with account 123456789012", rule).isLessThan(2048));
    }

    @Test
    void everySuccessfulHandledSampleIsDeliveredOnceAndTheOthersNever() throws Exception {
        for (String file : samples()) {
            JsonNode event = sample(file);
            JsonNode detail = event.path("detail");
            boolean succeeded = !detail.has("errorCode") || detail.get("errorCode").isNull();
            boolean root = detail.path("userIdentity").path("type").asText().equals("Root");
            Handling handling = EventKind.named(detail.path("eventName").asText()).map(EventKind::handling).orElse(null);
            boolean handled = handling == Handling.EVALUATED || handling == Handling.WATCHED;
            boolean resource = handling == Handling.RESOURCE_POLICY;

            List<String> matched = match(event);
            List<String> expected = new ArrayList<>();
            if (succeeded && resource) {
                expected.add("ResourcePolicyChange");
            } else if (succeeded && handled) {
                expected.add("IamChange");
            } else if (succeeded && root) {
                expected.add("RootIamActivity");
            }
            if (succeeded && TamperEvents.watched(detail.path("eventSource").asText(),
                    detail.path("eventName").asText()).isPresent()) {
                expected.add("GuardrailTampered");
            }
            if (succeeded && stackRoles().contains(detail.path("requestParameters").path("roleName").asText())) {
                // A handled change of the stack's own role comes twice; the ledger (by event id) alerts it once.
                expected.add("GuardrailRolesChanged");
            }
            assertThat(matched).as(file).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(match(sample("update-role-description-unhandled.json"))).isEmpty();
        assertThat(match(sample("attach-role-policy-failed-access-denied.json"))).isEmpty();
    }

    @Test
    void aFailedCallIsNeverDelivered() throws Exception {
        for (String file : samples()) {
            ObjectNode event = (ObjectNode) sample(file);
            ((ObjectNode) event.get("detail")).put("errorCode", "AccessDenied").put("errorMessage", "not authorized");

            assertThat(match(event)).as(file + " with an errorCode").isEmpty();
        }
    }

    @Test
    void anyRootChangeIsDeliveredEvenWhenItsNameIsNotHandled() throws Exception {
        ObjectNode event = (ObjectNode) sample("update-role-description-unhandled.json");
        ObjectNode identity = (ObjectNode) event.get("detail").get("userIdentity");
        identity.removeAll();
        identity.put("type", "Root").put("principalId", "123456789012").put("arn", "arn:aws:iam::123456789012:root")
                .put("accountId", "123456789012");

        assertThat(match(event)).containsExactly("RootIamActivity");
        assertThat(match(sample("create-user-by-root.json"))).containsExactly("IamChange");
    }

    @Test
    void otherSourcesAndDetailTypesAreNotDelivered() throws Exception {
        ObjectNode sts = (ObjectNode) sample("create-role-any-principal.json");
        sts.put("source", "aws.sts");
        ((ObjectNode) sts.get("detail")).put("eventSource", "sts.amazonaws.com").put("eventName", "AssumeRole");
        ObjectNode s3 = (ObjectNode) sample("put-role-policy-passrole-star.json");
        s3.put("source", "aws.s3");
        ((ObjectNode) s3.get("detail")).put("eventSource", "s3.amazonaws.com");
        ObjectNode insight = (ObjectNode) sample("attach-role-policy-admin.json");
        insight.put("detail-type", "AWS Console Sign In via CloudTrail");
        ObjectNode otherSourceSameName = (ObjectNode) sample("attach-role-policy-admin.json");
        ((ObjectNode) otherSourceSameName.get("detail")).put("eventSource", "sso.amazonaws.com");

        assertThat(match(sts)).isEmpty();
        assertThat(match(s3)).isEmpty();
        assertThat(match(insight)).isEmpty();
        assertThat(match(otherSourceSameName)).isEmpty();
    }

    @Test
    void anEventOfAnotherAccountIsNeverDeliveredWhateverItNames() throws Exception {
        for (String file : samples()) {
            ObjectNode event = (ObjectNode) sample(file);
            assertThat(event.path("account").asText()).as(file).isEqualTo(DEPLOYED_IN);
            // Another account's change of a role with the same name: the event bus of that account, or a forged
            // PutEvents, must not reach this account's evaluator.
            event.put("account", "210987654321");
            ((ObjectNode) event.get("detail")).put("recipientAccountId", "210987654321");
            assertThat(match(event)).as(file + " from another account").isEmpty();
            event.remove("account");
            assertThat(match(event)).as(file + " without an account").isEmpty();
        }
    }

    /** The stack's role names, as the roles rule lists them. */
    static Set<String> stackRoles() {
        Set<String> roles = new TreeSet<>();
        patterns.get("GuardrailRolesChanged").path("detail").path("requestParameters").path("roleName")
                .forEach(n -> roles.add(StackPolicies.resolve(n.asText())));
        return roles;
    }

    @Test
    void theTamperRuleListsExactlyTheCallsTheEvaluatorRecognises() {
        JsonNode detail = patterns.get("GuardrailTampered").path("detail");
        Set<String> sources = new TreeSet<>();
        detail.path("eventSource").forEach(n -> sources.add(n.asText()));
        Set<String> names = new TreeSet<>();
        detail.path("eventName").forEach(n -> names.add(n.isObject() ? "prefix:" + n.path("prefix").asText() : n.asText()));
        Set<String> sourcesOfPattern = new TreeSet<>();
        patterns.get("GuardrailTampered").path("source").forEach(n -> sourcesOfPattern.add(n.asText()));

        Set<String> expectedSources = new TreeSet<>();
        Set<String> expectedNames = new TreeSet<>();
        Set<String> expectedEventBridgeSources = new TreeSet<>();
        for (WatchedCall c : TamperEvents.CALLS) {
            expectedSources.add(c.eventSource());
            expectedNames.add(c.prefix() ? "prefix:" + c.name() : c.name());
            expectedEventBridgeSources.add(c.source());
        }
        assertThat(sources).isEqualTo(expectedSources);
        assertThat(names).isEqualTo(expectedNames);
        assertThat(sourcesOfPattern).isEqualTo(expectedEventBridgeSources);
    }

    @Test
    void theRolesRuleNamesEveryRoleOfTheStackByItsExactName() throws Exception {
        Set<String> declared = new TreeSet<>();
        DeployTemplate.template().path("Resources").fields().forEachRemaining(r -> {
            if (r.getValue().path("Type").asText().equals("AWS::IAM::Role")) {
                declared.add(StackPolicies.resolve(r.getValue().path("Properties").path("RoleName").asText()));
            }
        });
        assertThat(stackRoles()).isEqualTo(declared);

        // A role someone names like the stack's is not the stack's: its changes are not delivered as the stack's.
        ObjectNode lookalike = (ObjectNode) sample("heartbeat-tag-canary-role.json");
        ((ObjectNode) lookalike.get("detail").get("requestParameters")).put("roleName", StackPolicies.STACK + "-canary-x");
        // (A TagRole is a handled IAM change too: it reaches the evaluator as one, never as the stack's.)
        assertThat(match(lookalike)).doesNotContain("GuardrailRolesChanged");
    }

    @Test
    void everyTamperSampleAndTheHeartbeatAreDelivered() throws Exception {
        for (String file : List.of("tamper-lambda-update-function-configuration.json", "tamper-events-disable-rule.json",
                "tamper-sns-unsubscribe.json", "tamper-kms-schedule-key-deletion.json", "tamper-cloudtrail-stop-logging.json")) {
            assertThat(match(sample(file))).as(file).containsExactly("GuardrailTampered");
        }
        // TagRole is also a watched IAM change: the heartbeat arrives through both rules and counts once per event id.
        assertThat(match(sample("heartbeat-tag-canary-role.json"))).containsExactlyInAnyOrder("IamChange",
                "GuardrailRolesChanged");
        assertThat(match(sample("tamper-put-role-policy-deny-all-on-evaluator.json")))
                .containsExactlyInAnyOrder("IamChange", "GuardrailRolesChanged");
    }

    /**
     * A list entry written as {@code !If [Condition, value, !Ref AWS::NoValue]} (read as that list): its value; a
     * {@code !Sub} string: as the deployment in {@link StackPolicies} resolves it.
     */
    static void withConditionsTrue(JsonNode node) {
        if (node.isArray()) {
            ArrayNode list = (ArrayNode) node;
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                if (item.isArray() && item.size() == 3 && item.get(0).isTextual()) {
                    list.set(i, item.get(1));
                }
                if (list.get(i).isTextual()) {
                    // `!Sub ${AWS::StackName}-canary` as deployed here
                    list.set(i, StackPolicies.resolve(list.get(i).asText()));
                }
            }
        }
        node.forEach(EventPatternTest::withConditionsTrue);
    }
}
