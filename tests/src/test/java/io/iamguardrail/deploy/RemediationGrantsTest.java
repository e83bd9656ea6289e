package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.remediation.Grant;
import io.iamguardrail.remediation.Remediations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.iamguardrail.deploy.StackPolicies.ACCOUNT;
import static io.iamguardrail.deploy.StackPolicies.BUCKET_ARN;
import static io.iamguardrail.deploy.StackPolicies.statements;
import static io.iamguardrail.deploy.StackPolicies.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The remediation policy of template.yaml grants exactly what the remediation actions declare
 * ({@link Remediations#grants()}: each IAM, S3, DynamoDB, KMS and CloudTrail action on the resource IAM authorises it
 * on), compared per Allow statement and resource; Deny statements and the guard conditions (source function, the
 * quarantine policy, the quarantine tag, approved boundaries) are other tests' business. What the evaluator's own
 * policy already grants (the reads every evaluation makes, the table) is not granted twice.
 */
class RemediationGrantsTest {

    /** The ARN pattern the template writes for each kind of resource, as this deployment resolves it. */
    static final Map<Grant.Resource, String> WRITTEN_AS = Map.of(
            Grant.Resource.ROLE, "arn:aws:iam::" + ACCOUNT + ":role/*",
            Grant.Resource.USER, "arn:aws:iam::" + ACCOUNT + ":user/*",
            Grant.Resource.GROUP, "arn:aws:iam::" + ACCOUNT + ":group/*",
            Grant.Resource.POLICY, "arn:aws:iam::" + ACCOUNT + ":policy/*",
            Grant.Resource.BACKUP_OBJECTS, BUCKET_ARN + "/backups/*",
            Grant.Resource.BACKUP_BUCKET, BUCKET_ARN,
            // `!GetAtt X.Arn` as the test reads the template: the attribute's name.
            Grant.Resource.MAC_KEY, "BackupMacKey.Arn",
            Grant.Resource.STATE_TABLE, "StateTable.Arn",
            Grant.Resource.ANY, "*");

    JsonNode resources;

    @BeforeEach
    void read() throws Exception {
        resources = DeployTemplate.template().path("Resources").deepCopy();
    }

    @Test
    void everyResourceKindADeclarationUsesIsOneTheTemplateWrites() {
        assertThat(WRITTEN_AS.keySet()).containsExactlyInAnyOrder(Grant.Resource.values());
    }

    @Test
    void theRemediationPolicyGrantsExactlyWhatTheActionsDeclare() {
        assertThat(discrepancies(resources)).isEmpty();
        // The comparison has something to compare: every action kind declares writes the policy holds.
        String iam = "arn:aws:iam::" + ACCOUNT + ":";
        assertThat(granted(resources, "RemediationPolicy")).contains(pair("iam:DetachRolePolicy", iam + "role/*"),
                pair("iam:UpdateAccessKey", iam + "user/*"), pair("iam:RemoveUserFromGroup", iam + "group/*"),
                pair("iam:SetDefaultPolicyVersion", iam + "policy/*"), pair("iam:PutUserPermissionsBoundary", iam + "user/*"),
                pair("iam:TagRole", iam + "role/*"), pair("cloudtrail:LookupEvents", "*"));
    }

    @Test
    void anActionNoRemediationDeclaresIsFound() {
        // PutRolePolicy would let a forged event make the guardrail write any inline policy: nothing declares it.
        ((ArrayNode) statement("TakeRiskyPoliciesOff").path("Action")).add("iam:PutRolePolicy");

        assertThat(discrepancies(resources)).containsExactly("RemediationPolicy statement TakeRiskyPoliciesOff allows"
                + " iam:PutRolePolicy, which no remediation declares on any resource it lists");
    }

    @Test
    void aResourceNoRemediationDeclaresIsFound() {
        // Access keys and tags belong to roles and users: a group listed there is a resource nothing declares.
        ((ArrayNode) statement("ReadWhatRemediationChecks").path("Resource")).add("arn:${AWS::Partition}:iam::"
                + "${AWS::AccountId}:group/*");

        assertThat(discrepancies(resources)).containsExactly("RemediationPolicy statement ReadWhatRemediationChecks"
                + " lists arn:aws:iam::" + ACCOUNT + ":group/*, on which no remediation declares any of its actions");
    }

    @Test
    void aDeclaredActionTheTemplateLacksIsFound() {
        ObjectNode keys = statement("DeactivateKeys");
        keys.put("Action", "iam:ListAccessKeys");

        assertThat(discrepancies(resources)).contains("iam:UpdateAccessKey on arn:aws:iam::" + ACCOUNT
                + ":user/* is declared but granted by neither the remediation policy nor the evaluator's");
    }

    @Test
    void whatTheEvaluatorAlreadyGrantsIsNotGrantedTwice() {
        ((ArrayNode) statement("ReadWhatRemediationChecks").path("Action")).add("iam:GetUser");

        assertThat(discrepancies(resources)).containsExactly("iam:GetUser on arn:aws:iam::" + ACCOUNT + ":user/* is"
                + " granted by the evaluator's policy already and again by the remediation policy");
    }

    /** Every way the remediation policy differs from the declarations, one line each; empty when it is exact. */
    static List<String> discrepancies(JsonNode resources) {
        Set<String> declared = new TreeSet<>();
        Remediations.grants().forEach(g -> declared.add(pair(g.action(), WRITTEN_AS.get(g.resource()))));
        Set<String> remediation = granted(resources, "RemediationPolicy");
        Set<String> evaluator = granted(resources, "EvaluatorPolicy");
        List<String> out = new ArrayList<>();
        for (String d : declared) {
            if (!remediation.contains(d) && !evaluator.contains(d)) {
                out.add(d.replace(" ", " on ") + " is declared but granted by neither the remediation policy nor the"
                        + " evaluator's");
            } else if (remediation.contains(d) && evaluator.contains(d)) {
                out.add(d.replace(" ", " on ") + " is granted by the evaluator's policy already and again by the"
                        + " remediation policy");
            }
        }
        for (JsonNode st : allows(resources, "RemediationPolicy")) {
            String sid = st.path("Sid").asText();
            List<String> actions = values(st.path("Action"));
            List<String> on = values(st.path("Resource"));
            for (String action : actions) {
                if (on.stream().noneMatch(r -> declared.contains(pair(action, r)))) {
                    out.add("RemediationPolicy statement " + sid + " allows " + action + ", which no remediation"
                            + " declares on any resource it lists");
                }
            }
            for (String r : on) {
                if (actions.stream().noneMatch(a -> declared.contains(pair(a, r)))) {
                    out.add("RemediationPolicy statement " + sid + " lists " + r + ", on which no remediation declares"
                            + " any of its actions");
                }
            }
        }
        return out;
    }

    /** Each action of each Allow statement on each resource it lists, as {@code action resource}. */
    static Set<String> granted(JsonNode resources, String policy) {
        Set<String> out = new TreeSet<>();
        for (JsonNode st : allows(resources, policy)) {
            for (String action : values(st.path("Action"))) {
                values(st.path("Resource")).forEach(r -> out.add(pair(action, r)));
            }
        }
        return out;
    }

    private static List<JsonNode> allows(JsonNode resources, String policy) {
        return statements(resources, policy, "PolicyDocument").stream()
                .filter(st -> st.path("Effect").asText().equals("Allow")).toList();
    }

    private static String pair(String action, String resource) {
        return action + " " + resource;
    }

    private ObjectNode statement(String sid) {
        return (ObjectNode) statements(resources, "RemediationPolicy", "PolicyDocument").stream()
                .filter(st -> st.path("Sid").asText().equals(sid)).findFirst().orElseThrow();
    }
}
