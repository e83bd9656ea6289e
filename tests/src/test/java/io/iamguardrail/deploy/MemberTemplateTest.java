package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.iamguardrail.change.EventKind.Handling;
import io.iamguardrail.change.EventKind;
import io.iamguardrail.e2e.Cli;
import io.iamguardrail.organization.MemberStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.Machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * member.yaml, the stack each member account of an organization runs: it forwards exactly what the hub judges, and its
 * role lets only the hub's two roles, from inside the organization and with the external id, read IAM and nothing else.
 */
class MemberTemplateTest {

    static final Path PATH = DeployTemplate.PATH.resolveSibling("member.yaml");
    static JsonNode member;
    static Machine forwarded;

    @BeforeAll
    static void read() throws Exception {
        member = new ObjectMapper(new YAMLFactory()).readTree(PATH.toFile());
        EventPatternTest.loadRules();
        forwarded = new Machine();
        for (String rule : List.of("ForwardIamChanges", "ForwardRootIamActivity")) {
            ObjectNode pattern = (ObjectNode) resource(rule).path("Properties").path("EventPattern").deepCopy();
            assertThat(pattern.path("account").toString()).as(rule).isEqualTo("[\"AWS::AccountId\"]");
            pattern.putArray("account").add(EventPatternTest.DEPLOYED_IN);
            forwarded.addRule(rule, EventPatternTest.JSON.writeValueAsString(pattern));
        }
    }

    static JsonNode resource(String name) {
        JsonNode r = member.path("Resources").path(name);
        assertThat(r.isMissingNode()).as("resource %s in %s", name, PATH).isFalse();
        return r;
    }

    @Test
    void cfnLintReportsNoError() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("cfn-lint", "--format", "parseable", PATH.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("expected cfn-lint on the PATH (pip install cfn-lint; .ci/run checks for it): " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue() & 2).as(out).isZero();
    }

    @Test
    void ourOwnCheckFindsNothingInItButTheRemediationPowersItExemptsByName() {
        Cli.Result exempted = Cli.run(PATH.getParent(), "check", "--format", "json", "--fail-on", "INFO", "--config",
                "functions/self-check.yaml", "member.yaml");
        Cli.Result plain = Cli.run(PATH.getParent(), "check", "--format", "json", "member.yaml");

        assertThat(exempted.json().path("findings")).as(exempted.out()).isEmpty();
        assertThat(exempted.exit()).as(exempted.err()).isZero();
        // Without the exemptions only the remediation policy (AllowRemediation=true) is flagged.
        List<String> flagged = new ArrayList<>();
        plain.json().path("findings").forEach(f -> flagged.add(f.path("location").path("pointer").asText()));
        assertThat(flagged).isNotEmpty().allMatch(f -> f.startsWith("/Resources/MemberRemediationPolicy/"));
    }

    @Test
    void itForwardsTheCallsOfTheTableAndAnyOtherRootChangeAndNothingFailed() {
        Set<String> judged = new TreeSet<>(EventKind.names(Handling.EVALUATED));
        judged.addAll(EventKind.names(Handling.WATCHED));
        JsonNode changes = resource("ForwardIamChanges").path("Properties").path("EventPattern").path("detail");
        JsonNode root = resource("ForwardRootIamActivity").path("Properties").path("EventPattern").path("detail");

        assertThat(texts(changes.path("eventName"))).isEqualTo(judged);
        assertThat(texts(root.path("eventName").get(0).path("anything-but"))).isEqualTo(judged);
        assertThat(texts(root.path("userIdentity").path("type"))).containsExactly("Root");
        assertThat(changes.path("errorCode").toString()).isEqualTo("[{\"exists\":false}]");
        assertThat(root.path("errorCode").toString()).isEqualTo("[{\"exists\":false}]");
    }

    @Test
    void everySampleTheHubWouldJudgeIsForwardedOnceAndNoOtherIs() throws Exception {
        for (String file : EventPatternTest.samples()) {
            JsonNode event = EventPatternTest.sample(file);
            boolean hubJudges = EventPatternTest.match(event).stream()
                    .anyMatch(r -> r.equals("IamChange") || r.equals("RootIamActivity"));

            assertThat(forwarded.rulesForJSONEvent(EventPatternTest.JSON.writeValueAsString(event)))
                    .as(file).hasSize(hubJudges ? 1 : 0);
        }
    }

    @Test
    void onlyTheHubsTwoRolesFromInsideTheOrganizationWithTheExternalIdMayAssumeTheMemberRole() {
        JsonNode trust = resource("MemberRole").path("Properties").path("AssumeRolePolicyDocument").path("Statement");

        assertThat(trust).hasSize(2);
        Map<String, String> sessionsOf = new TreeMap<>();
        for (JsonNode s : trust) {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            assertThat(s.path("Action").asText()).isEqualTo("sts:AssumeRole");
            assertThat(s.path("Principal").size()).as("principal kinds").isEqualTo(1);
            assertThat(s.path("Condition").size()).as("condition operators").isEqualTo(2);
            JsonNode equals = s.path("Condition").path("StringEquals");
            assertThat(equals.path("sts:ExternalId").asText()).isEqualTo("ExternalId");
            assertThat(equals.path("aws:PrincipalOrgID").asText()).isEqualTo("OrganizationId");
            sessionsOf.put(s.path("Principal").path("AWS").asText(),
                    s.path("Condition").path("StringLike").path("sts:RoleSessionName").asText());
        }
        // Each hub role may open only sessions named for its own work: the audit can never open an evaluator's.
        assertThat(sessionsOf).containsOnly(Map.entry("HubEvaluatorRoleArn", "iam-guardrail-event-*"),
                Map.entry("HubAuditRoleArn", "iam-guardrail-audit-*"));
        assertThat(member.path("Parameters").path("ExternalId").path("NoEcho").asBoolean()).isTrue();
        assertThat(member.path("Parameters").path("ExternalId").path("MinLength").asInt()).isGreaterThanOrEqualTo(16);
    }

    @Test
    void remediationHereIsOptionalForTheEvaluatorsSessionsOnlyAndNeverOnTheGuardrailOrTheProtected() throws IOException {
        JsonNode policy = resource("MemberRemediationPolicy");
        assertThat(policy.path("Condition").asText()).isEqualTo("Remediates");
        assertThat(member.path("Parameters").path("AllowRemediation").path("Default").asText()).isEqualTo("false");
        List<JsonNode> statements = new ArrayList<>();
        statements(policy).forEach(s -> statements.add(whenTrue(s)));

        List<JsonNode> allows = statements.stream().filter(s -> s.path("Effect").asText().equals("Allow")).toList();
        assertThat(allows).isNotEmpty().allSatisfy(s -> assertThat(s.path("Condition").path("StringLike")
                .path("aws:userid").asText()).as(s.path("Sid").asText())
                .isEqualTo("${MemberRole.RoleId}:iam-guardrail-event-*"));
        List<JsonNode> denies = statements.stream().filter(s -> s.path("Effect").asText().equals("Deny")).toList();
        assertThat(denies).allSatisfy(s -> assertThat(s.has("Condition")).as(s.path("Sid").asText()).isFalse());
        Set<String> protectedResources = new TreeSet<>();
        denies.forEach(s -> protectedResources.addAll(texts(s.path("Resource"))));
        assertThat(protectedResources).contains("MemberRole.Arn", "ForwardRole.Arn", "QuarantinePolicy",
                "ProtectedPrincipalArns");

        // The same IAM writes as the hub's own remediation policy: one list of what remediation may do.
        Set<String> hubIam = new TreeSet<>();
        for (JsonNode s : statements(DeployTemplate.template().path("Resources").path("RemediationPolicy"))) {
            JsonNode st = whenTrue(s);
            if (st.path("Effect").asText().equals("Allow")) {
                texts(st.path("Action")).stream().filter(a -> a.startsWith("iam:") || a.startsWith("cloudtrail:"))
                        .forEach(hubIam::add);
            }
        }
        Set<String> memberIam = new TreeSet<>();
        allows.forEach(s -> memberIam.addAll(texts(s.path("Action"))));
        assertThat(memberIam).isEqualTo(hubIam);
    }

    @Test
    void iamLivesInUsEast1AndResourcePolicyChangesAreForwardedFromEveryRegion() {
        for (String global : List.of("ForwardIamChanges", "ForwardRootIamActivity", "ForwardRole", "ForwardPolicy",
                "MemberRole", "MemberReadPolicy")) {
            assertThat(resource(global).path("Condition").asText()).as(global).isEqualTo("InIamRegion");
        }
        JsonNode rule = resource("ForwardResourcePolicyChanges");
        assertThat(rule.has("Condition")).as("the resource-policy rule is in every region").isFalse();
        JsonNode pattern = rule.path("Properties").path("EventPattern");
        assertThat(texts(pattern.path("detail").path("eventName")))
                .isEqualTo(new TreeSet<>(EventKind.names(Handling.RESOURCE_POLICY)));
        assertThat(texts(pattern.path("source"))).isEqualTo(new TreeSet<>(EventKind.sources(Handling.RESOURCE_POLICY)));
        // The hub's bus admits the forwarding role by this name only.
        assertThat(resource("ForwardRole").path("Properties").path("RoleName").asText())
                .isEqualTo("iam-guardrail-forward");
    }

    @Test
    void theMemberRoleReadsWhatTheHubsEvaluatorAndAuditReadAndWritesNothing() throws IOException {
        JsonNode hub = DeployTemplate.template().path("Resources");
        Set<String> hubReads = new TreeSet<>();
        for (JsonNode s : statements(hub.path("EvaluatorPolicy"))) {
            if (s.path("Sid").asText().equals("ReadPrincipalsAndPolicies")) {
                hubReads.addAll(texts(s.path("Action")));
            }
        }
        for (JsonNode s : statements(hub.path("AuditPolicy"))) {
            if (List.of("ReadTheWholeAccount", "AskAccessAdvisor").contains(s.path("Sid").asText())) {
                hubReads.addAll(texts(s.path("Action")));
            }
        }
        Set<String> memberActions = new TreeSet<>();
        statements(resource("MemberReadPolicy")).forEach(s -> memberActions.addAll(texts(s.path("Action"))));

        assertThat(hubReads).as("the hub template's read statements").isNotEmpty();
        assertThat(memberActions).isEqualTo(hubReads);
        assertThat(memberActions).allMatch(a -> a.matches("iam:(Get|List|Generate)[A-Za-z]+"));
        assertThat(resource("MemberRole").path("Properties").has("Policies")).isFalse();
        assertThat(resource("MemberRole").path("Properties").has("ManagedPolicyArns")).isFalse();
    }

    @Test
    void onlyThisAccountsForwardingRulesMayUseTheForwardRoleAndItPutsEventsOnTheHubBusOnly() {
        JsonNode trust = resource("ForwardRole").path("Properties").path("AssumeRolePolicyDocument").path("Statement")
                .get(0);
        assertThat(trust.path("Principal").path("Service").asText()).isEqualTo("events.amazonaws.com");
        assertThat(trust.path("Condition").path("StringEquals").path("aws:SourceAccount").asText())
                .isEqualTo("AWS::AccountId");
        assertThat(trust.path("Condition").path("ArnLike").path("aws:SourceArn").asText())
                .endsWith(":rule/iam-guardrail-forward-*");

        List<JsonNode> puts = statements(resource("ForwardPolicy"));
        assertThat(puts).hasSize(1);
        assertThat(puts.get(0).path("Action").asText()).isEqualTo("events:PutEvents");
        assertThat(puts.get(0).path("Resource").asText()).isEqualTo("HubEventBusArn");
    }

    @Test
    void theHubKnowsEveryFixedNameOfThisStack() {
        assertThat(resource("ForwardRole").path("Properties").path("RoleName").asText()).isEqualTo(MemberStack.FORWARD_ROLE);
        Set<String> rules = new TreeSet<>();
        Set<String> policies = new TreeSet<>();
        member.path("Resources").fields().forEachRemaining(r -> {
            String type = r.getValue().path("Type").asText();
            if (type.equals("AWS::Events::Rule")) {
                rules.add(r.getValue().path("Properties").path("Name").asText());
            } else if (type.equals("AWS::IAM::ManagedPolicy")) {
                policies.add(r.getValue().path("Properties").path("ManagedPolicyName").asText());
            }
        });
        assertThat(rules).isEqualTo(new TreeSet<>(MemberStack.FORWARD_RULES));
        assertThat(policies).isEqualTo(new TreeSet<>(MemberStack.POLICIES));
        assertThat(resource("QuarantinePolicy").path("Properties").path("ManagedPolicyName").asText())
                .isEqualTo(MemberStack.QUARANTINE_POLICY);
    }

    /** A statement, or the true branch of an `!If [Condition, statement, !Ref AWS::NoValue]` (read as a list). */
    private static JsonNode whenTrue(JsonNode statement) {
        return statement.isArray() ? statement.get(1) : statement;
    }

    private static List<JsonNode> statements(JsonNode policy) {
        List<JsonNode> out = new ArrayList<>();
        policy.path("Properties").path("PolicyDocument").path("Statement").forEach(out::add);
        return out;
    }

    /** A value or a list of values, as text. */
    static Set<String> texts(JsonNode node) {
        Set<String> out = new TreeSet<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (!node.isMissingNode()) {
            out.add(node.asText());
        }
        return out;
    }
}
