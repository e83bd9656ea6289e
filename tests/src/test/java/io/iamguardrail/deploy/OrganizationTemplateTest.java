package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.iamguardrail.audit.organization.AuditRequest;
import io.iamguardrail.change.EventKind.Handling;
import io.iamguardrail.change.EventKind;
import io.iamguardrail.organization.MemberAccount;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.Machine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * template.yaml with DeploymentMode=hub: the organization's bus and who may put events on it, the evaluator's rules
 * on that bus, the StackSet that installs member.yaml, and the state machine of the organization audit. Every hub
 * resource exists only in hub mode, so the account mode deploys exactly as before.
 */
class OrganizationTemplateTest {

    /** A member account of the organization, and the hub's own account (the samples'). */
    static final String MEMBER = "210987654321";
    static final List<String> HUB_RULES = List.of("OrganizationIamChanges", "OrganizationRootIamActivity",
            "OrganizationResourcePolicyChanges");
    static JsonNode resources;
    static JsonNode member;
    static Machine orgRules;

    @BeforeAll
    static void read() throws Exception {
        resources = DeployTemplate.template().path("Resources");
        member = new ObjectMapper(new YAMLFactory()).readTree(MemberTemplateTest.PATH.toFile());
        EventPatternTest.loadRules();
        orgRules = new Machine();
        for (String rule : HUB_RULES) {
            ObjectNode pattern = (ObjectNode) resource(rule).path("Properties").path("EventPattern").deepCopy();
            assertThat(pattern.path("account").toString()).as(rule).isEqualTo("[{\"anything-but\":\"AWS::AccountId\"}]");
            pattern.putArray("account").addObject().put("anything-but", EventPatternTest.DEPLOYED_IN);
            orgRules.addRule(rule, EventPatternTest.JSON.writeValueAsString(pattern));
        }
    }

    static JsonNode resource(String name) {
        JsonNode r = resources.path(name);
        assertThat(r.isMissingNode()).as("resource %s in template.yaml", name).isFalse();
        return r;
    }

    @Test
    void everyHubResourceExistsOnlyInHubMode() {
        List<String> hubOnly = new ArrayList<>(HUB_RULES);
        hubOnly.addAll(List.of("OrganizationEventBus", "OrganizationEventBusPolicy", "OrganizationAudit",
                "OrganizationAuditRole", "OrganizationAuditPolicy", "MemberStackSet", "OrganizationTampering"));
        hubOnly.forEach(r -> assertThat(resource(r).path("Condition").asText()).as(r).isEqualTo("IsHub"));
        assertThat(DeployTemplate.PATH).content().contains("IsHub: !Equals [!Ref DeploymentMode, hub]");
        assertThat(resource("AuditFunction").path("Properties").path("Events").path("Sweep").path("Properties")
                .path("State").toString()).as("the account's own sweep gives way to the organization's")
                .isEqualTo("[\"IsHub\",\"DISABLED\",\"ENABLED\"]");
    }

    @Test
    void onlyTheMemberStacksForwardingRoleFromInsideTheOrganizationMayPutEventsOnTheBus() {
        JsonNode s = resource("OrganizationEventBusPolicy").path("Properties").path("Statement");
        assertThat(s.path("Effect").asText()).isEqualTo("Allow");
        assertThat(s.path("Action").asText()).isEqualTo("events:PutEvents");
        assertThat(s.path("Condition").path("StringEquals").path("aws:PrincipalOrgID").asText())
                .isEqualTo("OrganizationId");
        String forwardRole = member.path("Resources").path("ForwardRole").path("Properties").path("RoleName").asText();
        assertThat(s.path("Condition").path("ArnLike").path("aws:PrincipalArn").asText())
                .isEqualTo("arn:${AWS::Partition}:iam::*:role/" + forwardRole);
    }

    @Test
    void theRulesOnTheBusTakeTheSameCallsAsTheAccountsOwnRules() {
        Set<String> judged = new TreeSet<>(EventKind.names(Handling.EVALUATED));
        judged.addAll(EventKind.names(Handling.WATCHED));
        JsonNode iam = resource("OrganizationIamChanges").path("Properties").path("EventPattern").path("detail");
        JsonNode root = resource("OrganizationRootIamActivity").path("Properties").path("EventPattern").path("detail");
        JsonNode res = resource("OrganizationResourcePolicyChanges").path("Properties").path("EventPattern");

        assertThat(MemberTemplateTest.texts(iam.path("eventName"))).isEqualTo(judged);
        assertThat(MemberTemplateTest.texts(root.path("eventName").get(0).path("anything-but"))).isEqualTo(judged);
        assertThat(MemberTemplateTest.texts(res.path("detail").path("eventName")))
                .isEqualTo(new TreeSet<>(EventKind.names(Handling.RESOURCE_POLICY)));
        for (String rule : HUB_RULES) {
            JsonNode p = resource(rule).path("Properties");
            assertThat(p.path("EventBusName").asText()).as(rule).isEqualTo("OrganizationEventBus");
            JsonNode target = p.path("Targets").get(0);
            assertThat(target.path("Arn").asText()).as(rule).isEqualTo("EvaluatorQueue.Arn");
            assertThat(target.path("DeadLetterConfig").path("Arn").asText()).as(rule)
                    .isEqualTo("UndeliveredEventQueue.Arn");
        }
        // The evaluator's queue takes them: its policy names each (the only senders it admits).
        String queuePolicy = resource("EvaluatorQueuePolicy").toString();
        HUB_RULES.forEach(rule -> assertThat(queuePolicy).contains("\"IsHub\",\"" + rule + ".Arn\""));
        assertThat(queuePolicy).contains("\"IsHub\",\"OrganizationTampering.Arn\"");
    }

    @Test
    void aMembersSampleReachesTheEvaluatorOnceAndTheHubsOwnNeverThroughTheBus() throws Exception {
        int delivered = 0;
        for (String file : EventPatternTest.samples()) {
            ObjectNode event = (ObjectNode) EventPatternTest.sample(file);
            long own = EventPatternTest.match(event).stream().filter(r -> List.of("IamChange", "RootIamActivity",
                    "ResourcePolicyChange").contains(r)).count();
            assertThat(orgRules.rulesForJSONEvent(EventPatternTest.JSON.writeValueAsString(event)))
                    .as(file + " of the hub's own account, on the organization's bus").isEmpty();

            event.put("account", MEMBER);
            ((ObjectNode) event.get("detail")).put("recipientAccountId", MEMBER);
            List<String> matched = orgRules.rulesForJSONEvent(EventPatternTest.JSON.writeValueAsString(event));
            assertThat(matched).as(file + " of a member").hasSize((int) own);
            delivered += matched.size();
        }
        assertThat(delivered).isGreaterThan(50);
    }

    @Test
    void aMembersForwardingRuleDisabledThereReachesTheEvaluatorAsTampering() throws Exception {
        Machine tampering = new Machine();
        ObjectNode hub = (ObjectNode) resource("OrganizationTampering").path("Properties").path("EventPattern").deepCopy();
        hub.putArray("account").addObject().put("anything-but", EventPatternTest.DEPLOYED_IN);
        tampering.addRule("hub", EventPatternTest.JSON.writeValueAsString(hub));
        ObjectNode forward = (ObjectNode) member.path("Resources").path("ForwardTampering").path("Properties")
                .path("EventPattern").deepCopy();
        forward.putArray("account").add(MEMBER);

        ObjectNode disabled = (ObjectNode) EventPatternTest.sample("tamper-events-disable-rule.json");
        disabled.put("account", MEMBER);
        ((ObjectNode) disabled.get("detail")).put("recipientAccountId", MEMBER);
        ((ObjectNode) disabled.get("detail").get("requestParameters")).put("name", "iam-guardrail-forward-iam-changes");
        tampering.addRule("member", EventPatternTest.JSON.writeValueAsString(forward));

        assertThat(tampering.rulesForJSONEvent(EventPatternTest.JSON.writeValueAsString(disabled)))
                .containsExactlyInAnyOrder("hub", "member");
        assertThat(resource("OrganizationTampering").path("Properties").path("Targets").get(0).path("Arn").asText())
                .isEqualTo("EvaluatorQueue.Arn");
    }

    @Test
    void theStackSetInstallsMemberYamlWithEveryRequiredParameterFromTheHub() {
        JsonNode p = resource("MemberStackSet").path("Properties");
        assertThat(p.path("PermissionModel").asText()).isEqualTo("SERVICE_MANAGED");
        assertThat(p.path("AutoDeployment").path("Enabled").asBoolean()).isTrue();
        assertThat(p.path("TemplateURL").asText()).isEqualTo("member.yaml");
        assertThat(p.path("StackInstancesGroup").get(0).path("DeploymentTargets").path("OrganizationalUnitIds").asText())
                .isEqualTo("OrganizationalUnitIds");
        Map<String, String> given = new TreeMap<>();
        p.path("Parameters").forEach(x -> given.put(x.path("ParameterKey").asText(),
                x.path("ParameterValue").toString()));
        Set<String> required = new TreeSet<>();
        member.path("Parameters").fields().forEachRemaining(e -> {
            if (!e.getValue().has("Default")) {
                required.add(e.getKey());
            }
        });
        assertThat(given.keySet()).containsAll(required);
        assertThat(member.path("Parameters").fieldNames()).toIterable().containsAll(given.keySet());
        assertThat(given).containsEntry("HubEvaluatorRoleArn", "\"EvaluatorRole.Arn\"")
                .containsEntry("HubAuditRoleArn", "\"AuditRole.Arn\"")
                .containsEntry("HubEventBusArn", "\"OrganizationEventBus.Arn\"")
                .containsEntry("OrganizationId", "\"OrganizationId\"")
                .containsEntry("MemberRoleName", "\"MemberRoleName\"");
        // Remediation in members only when the hub itself remediates and the parameter allows it.
        assertThat(given.get("AllowRemediation")).isEqualTo("[\"Remediate\",\"MemberRemediation\",\"false\"]");
    }

    @Test
    void theAuditStateMachineAuditsEachAccountAndRollsUpWhateverFails() {
        JsonNode machine = resource("OrganizationAudit").path("Properties");
        JsonNode states = machine.path("Definition").path("States");
        assertThat(machine.path("Definition").path("StartAt").asText()).isEqualTo("ListAccounts");
        assertThat(states.path("ListAccounts").path("Next").asText()).isEqualTo("AuditEachAccount");
        assertThat(states.path("ListAccounts").path("Parameters").path("Payload").path("listAccounts").asBoolean())
                .isTrue();

        JsonNode map = states.path("AuditEachAccount");
        assertThat(map.path("Type").asText()).isEqualTo("Map");
        assertThat(map.path("ItemProcessor").path("ProcessorConfig").path("Mode").asText()).isEqualTo("DISTRIBUTED");
        assertThat(map.path("ToleratedFailurePercentage").asInt()).as("one account never fails the others")
                .isEqualTo(100);
        assertThat(map.path("MaxConcurrencyPath").asText()).isEqualTo("$.concurrency");
        assertThat(map.path("Next").asText()).isEqualTo("RollUp");
        JsonNode inner = map.path("ItemProcessor").path("States");
        JsonNode audit = inner.path("AuditAccount");
        assertThat(MemberTemplateTest.texts(audit.path("Catch").get(0).path("ErrorEquals"))).containsExactly("States.ALL");
        String failed = audit.path("Catch").get(0).path("Next").asText();
        assertThat(inner.path(failed).path("Parameters").path("status").asText()).isEqualTo("FAILED");
        assertThat(inner.path(failed).path("End").asBoolean()).isTrue();
        assertThat(map.path("ItemSelector").fieldNames()).toIterable().containsExactlyInAnyOrder("account.$", "name.$",
                "date.$");

        JsonNode rollUp = states.path("RollUp");
        assertThat(rollUp.path("Parameters").path("Payload").path("rollUp").path("accounts.$").asText())
                .isEqualTo("$.results");
        assertThat(rollUp.path("End").asBoolean()).isTrue();
        // Every task invokes the audit function's alias, and its role may invoke only that.
        for (JsonNode task : List.of(states.path("ListAccounts"), audit, rollUp)) {
            assertThat(task.path("Parameters").path("FunctionName").asText()).isEqualTo("${AuditFunctionArn}");
        }
        assertThat(machine.path("DefinitionSubstitutions").path("AuditFunctionArn").asText())
                .isEqualTo("AuditFunction.Alias");
        JsonNode schedule = machine.path("Events").path("Weekly").path("Properties");
        assertThat(schedule.path("Input").asText()).isEqualTo("{\"concurrency\": ${OrganizationAuditConcurrency}}");

        Map<String, String> grants = new TreeMap<>();
        resource("OrganizationAuditPolicy").path("Properties").path("PolicyDocument").path("Statement")
                .forEach(s -> grants.put(s.path("Action").toString(), s.path("Resource").asText()));
        assertThat(grants).containsEntry("\"lambda:InvokeFunction\"", "AuditFunction.Alias")
                .containsEntry("\"states:StartExecution\"", "arn:${AWS::Partition}:states:${AWS::Region}:"
                        + "${AWS::AccountId}:stateMachine:${AWS::StackName}-org-audit")
                .hasSize(3);
    }

    @Test
    void eachStepHandsTheAuditFunctionAnInputItReadsAsThatStep() {
        JsonNode states = resource("OrganizationAudit").path("Properties").path("Definition").path("States");
        JsonNode map = states.path("AuditEachAccount");
        JsonNode inner = map.path("ItemProcessor").path("States");
        String date = "2026-12-07";

        String list = states.path("ListAccounts").path("Parameters").path("Payload").toString();
        ObjectNode item = EventPatternTest.JSON.createObjectNode();
        map.path("ItemSelector").fieldNames().forEachRemaining(f -> item.put(f.replace(".$", ""),
                f.startsWith("account") ? "111122223333" : f.startsWith("date") ? date : "workloads-a"));
        // What the roll-up gets: one audited account as the task's selector keeps it, one failed as the Pass writes it.
        ObjectNode audited = EventPatternTest.JSON.createObjectNode();
        inner.path("AuditAccount").path("ResultSelector").fieldNames().forEachRemaining(f -> audited.put(
                f.replace(".$", ""), f.startsWith("account") ? "111122223333" : f.startsWith("status") ? "AUDITED"
                        : "workloads-a"));
        ObjectNode failed = EventPatternTest.JSON.createObjectNode();
        inner.path("AccountFailed").path("Parameters").fields().forEachRemaining(f -> failed.put(
                f.getKey().replace(".$", ""), f.getKey().startsWith("account") ? "444455556666"
                        : f.getKey().endsWith(".$") ? "States.Timeout" : f.getValue().asText()));
        ObjectNode rollUp = EventPatternTest.JSON.createObjectNode();
        rollUp.putObject("rollUp").put("date", date).putArray("accounts").add(audited).add(failed);

        assertThat(AuditRequest.read(list.getBytes(StandardCharsets.UTF_8))).isInstanceOf(AuditRequest.ListAccounts.class);
        assertThat(AuditRequest.read(item.toString().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new AuditRequest.Account("111122223333", "workloads-a", date));
        AuditRequest r = AuditRequest.read(rollUp.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(r).isInstanceOf(AuditRequest.RollUp.class);
        assertThat(((AuditRequest.RollUp) r).accounts()).extracting(MemberAccount::id)
                .containsExactly("111122223333", "444455556666");
    }

    @Test
    void cfnLintValidatesTheStateMachinesDefinitionAndWouldCatchABrokenOne() throws Exception {
        // The SAM transform hides the definition from cfn-lint's state-language checks: they run on the plain
        // resource, so the definition is linted as AWS::StepFunctions::StateMachine takes it.
        JsonNode definition = resource("OrganizationAudit").path("Properties").path("Definition");
        String json = EventPatternTest.JSON.writeValueAsString(definition)
                .replace("${AuditFunctionArn}", "arn:aws:lambda:us-east-1:123456789012:function:iam-guardrail-audit:live");

        assertThat(lint(json)).as("cfn-lint on the organization audit's definition").isEmpty();
        assertThat(lint(json.replace("\"Type\":\"Map\"", "\"Type\":\"Mapp\""))).as("a broken state type")
                .anyMatch(line -> line.contains("E3601"));
    }

    /** cfn-lint's errors on a template holding only a state machine with this definition. */
    private static List<String> lint(String definition) throws Exception {
        Path file = Files.createTempFile("state-machine", ".json");
        try {
            Files.writeString(file, "{\"AWSTemplateFormatVersion\":\"2010-09-09\",\"Resources\":{\"Audit\":{\"Type\":"
                    + "\"AWS::StepFunctions::StateMachine\",\"Properties\":{\"RoleArn\":"
                    + "\"arn:aws:iam::123456789012:role/iam-guardrail-org-audit\",\"Definition\":" + definition + "}}}}");
            Process p = new ProcessBuilder("cfn-lint", "--format", "parseable", file.toString()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return out.lines().filter(l -> l.contains(":E")).toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
