package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.iamguardrail.aws.MemberSessions;
import io.iamguardrail.aws.OrganizationsAccounts;
import io.iamguardrail.organization.MemberRole;
import io.iamguardrail.pipeline.AccountRouter;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.pipeline.Invocation;
import io.iamguardrail.wiring.AwsClients;
import io.iamguardrail.wiring.EvaluatorEnvironment;
import io.iamguardrail.wiring.HubWiring;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static io.iamguardrail.live.LiveEvaluatorTest.LAMBDA_TRUST;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluator of a hub against moto's multi-account emulation: an organization with two member accounts, the member
 * role created in each from member.yaml's own definition, and the same role names in the hub and both members holding
 * different policies, so that where the guardrail read or wrote shows in what it found and what it changed. moto
 * checks neither trust policies nor external ids nor membership: every refusal here is the guardrail's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HubEvaluatorLiveTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    static final String HUB = "123456789012";
    static final String OUTSIDE = "999988887777";
    static final String ROLE_NAME = "iam-guardrail-member";
    static final String EXTERNAL_ID = "51fd4e60-d3b8-11ef-9c5a-0affd0d8b4c1";
    static final String EVALUATOR_ROLE = "arn:aws:iam::" + HUB + ":role/iam-guardrail-evaluator";
    static final String BUCKET = "guardrail-backups";
    static final String ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";
    static final String SCOPED = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"arn:aws:lambda:us-east-1:111122223333:function:build-*\"}]}";
    static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
    private static final ObjectMapper JSON = new ObjectMapper();

    String organizationId;
    String memberA;
    String memberB;
    IamClient hubIam;
    IamClient iamA;
    IamClient iamB;
    SqsClient sqs;
    S3Client s3;
    String queueUrl;
    CloudTrailStandIn cloudTrail;
    /** The credentials each member's CloudTrail client was built with (their description). */
    final List<String> cloudTrailCredentials = new CopyOnWriteArrayList<>();
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    void organization() throws Exception {
        Organizations org = new Organizations(MOTO.endpoint());
        organizationId = org.create();
        memberA = org.createAccount("workloads-a");
        memberB = org.createAccount("workloads-b");
        hubIam = MOTO.iam();
        hubIam.createRole(b -> b.roleName("iam-guardrail-evaluator").assumeRolePolicyDocument(LAMBDA_TRUST));
        iamA = asOrganizationAccess(memberA);
        iamB = asOrganizationAccess(memberB);
        createMemberRole(iamA, memberA);
        createMemberRole(iamB, memberB);
        sqs = MOTO.sqs();
        s3 = MOTO.s3();
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        MOTO.createStateTable("guardrail");
        String topic = MOTO.sns().createTopic(b -> b.name("iam-guardrail-alerts")).topicArn();
        queueUrl = MOTO.subscribeQueue(topic, "hub-alerts", Map.of());
        cloudTrail = new CloudTrailStandIn();
        this.topic = topic;
        macKey = MOTO.createMacKey();
    }

    String topic;
    String macKey;

    /** A member's IAM as its OrganizationAccountAccessRole, the role Organizations creates in every new account. */
    IamClient asOrganizationAccess(String account) {
        try (StsClient sts = sts()) {
            Credentials c = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + account + ":role/OrganizationAccountAccessRole")
                    .roleSessionName("set-up")).credentials();
            return IamClient.builder().endpointOverride(MOTO.endpoint()).region(Region.AWS_GLOBAL)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                            c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        }
    }

    /** member.yaml's MemberRole and MemberReadPolicy, its parameters resolved as the hub's StackSet passes them. */
    void createMemberRole(IamClient iam, String account) throws Exception {
        JsonNode resources = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("member.yaml").toFile())
                .path("Resources");
        Map<String, String> values = Map.of("HubEvaluatorRoleArn", EVALUATOR_ROLE,
                "HubAuditRoleArn", "arn:aws:iam::" + HUB + ":role/iam-guardrail-audit", "ExternalId", EXTERNAL_ID,
                "OrganizationId", organizationId, "MemberRoleName", ROLE_NAME, "${AWS::Partition}", "aws",
                "${AWS::AccountId}", account);
        JsonNode role = resolved(resources.path("MemberRole").path("Properties"), values);
        JsonNode read = resolved(resources.path("MemberReadPolicy").path("Properties"), values);
        assertThat(role.path("RoleName").asText()).isEqualTo(ROLE_NAME);
        assertThat(role.path("AssumeRolePolicyDocument").toString()).contains(EVALUATOR_ROLE, EXTERNAL_ID, organizationId);
        iam.createRole(b -> b.roleName(role.path("RoleName").asText())
                .assumeRolePolicyDocument(role.path("AssumeRolePolicyDocument").toString())
                .maxSessionDuration(role.path("MaxSessionDuration").asInt()));
        String policy = iam.createPolicy(b -> b.policyName("iam-guardrail-member-read")
                .policyDocument(read.path("PolicyDocument").toString())).policy().arn();
        iam.attachRolePolicy(b -> b.roleName(ROLE_NAME).policyArn(policy));
    }

    /** The template's values with its parameters and pseudo parameters substituted. */
    static JsonNode resolved(JsonNode node, Map<String, String> values) {
        if (node.isTextual()) {
            String text = values.getOrDefault(node.asText(), node.asText());
            for (Map.Entry<String, String> v : values.entrySet()) {
                text = text.replace(v.getKey(), v.getValue());
            }
            return TextNode.valueOf(text);
        }
        JsonNode copy = node.deepCopy();
        if (copy.isObject()) {
            node.fields().forEachRemaining(f -> ((ObjectNode) copy).set(f.getKey(), resolved(f.getValue(), values)));
        } else if (copy.isArray()) {
            for (int i = 0; i < copy.size(); i++) {
                ((ArrayNode) copy).set(i, resolved(node.get(i), values));
            }
        }
        return copy;
    }

    StsClient sts() {
        return StsClient.builder().endpointOverride(MOTO.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(OrganizationAccessLiveTest.HUB)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** The hub's evaluator as the function wires it, its clients pointed at moto (and CloudTrail at its stand-in). */
    AccountRouter hub(String mode) {
        Map<String, String> env = new HashMap<>(Map.of("TOPIC_ARN", topic, "TABLE_NAME", "guardrail",
                "GUARDRAIL_ROLE_ARN", EVALUATOR_ROLE, "BACKUP_BUCKET", BUCKET, "MAC_KEY_ID", macKey, "MODE", mode,
                "CONFIRM_EVENTS", "true", "DEPLOYMENT_MODE", "hub", "MEMBER_ROLE_NAME", ROLE_NAME,
                "MEMBER_EXTERNAL_ID", EXTERNAL_ID));
        MemberRole role = EvaluatorEnvironment.memberRole(env).orElseThrow();
        HubWiring.Hub hub = new HubWiring.Hub(new OrganizationsAccounts(UrlConnectionHttpClient.create(),
                OrganizationAccessLiveTest.HUB, MOTO.endpoint(), "us-east-1", Clock.systemUTC()),
                new MemberSessions(sts(), role, "aws", Clock.systemUTC()), role, "aws",
                new HubWiring.MemberClients(this::memberIam, this::memberCloudTrail));
        AwsClients own = new AwsClients(hubIam, MOTO.sns(), MOTO.dynamo(), () -> s3, MOTO::kms,
                () -> cloudTrailClient(OrganizationAccessLiveTest.HUB));
        return HubWiring.live(EvaluatorEnvironment.setup(env), own,
                new DecisionLog(new PrintStream(log, true, StandardCharsets.UTF_8), Clock.systemUTC()), hub);
    }

    IamClient memberIam(AwsCredentialsProvider credentials) {
        return IamClient.builder().endpointOverride(MOTO.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    CloudTrailClient memberCloudTrail(AwsCredentialsProvider credentials) {
        cloudTrailCredentials.add(credentials.toString());
        return cloudTrailClient(credentials);
    }

    CloudTrailClient cloudTrailClient(AwsCredentialsProvider credentials) {
        return CloudTrailClient.builder().endpointOverride(cloudTrail.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** A sample of events/ as EventBridge delivers it now, recorded in {@code account}, with a fresh event id. */
    JsonNode sample(String file, String envelope, String recipient) throws Exception {
        String text = Files.readString(ROOT.resolve("events").resolve(file)).replace(HUB, recipient);
        ObjectNode event = (ObjectNode) JSON.readTree(text);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        event.put("account", envelope).put("time", now).put("id", UUID.randomUUID().toString());
        ((ObjectNode) event.path("detail")).put("eventTime", now).put("eventID", UUID.randomUUID().toString());
        return event;
    }

    GuardrailService.Outcome deliver(AccountRouter router, JsonNode event) throws Exception {
        cloudTrail.holds(event.path("detail"));
        return router.process(JSON.writeValueAsBytes(event), new Invocation("req-" + UUID.randomUUID(),
                Optional.of(HUB), Instant.now().plusSeconds(300)));
    }

    static void inline(IamClient iam, String document) {
        iam.createRole(b -> b.roleName("build-runner").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.putRolePolicy(b -> b.roleName("build-runner").policyName("deploy-functions").policyDocument(document));
    }

    @Test
    void aMembersEventIsJudgedByWhatThatMembersIamHoldsAndNoOtherAccounts() throws Exception {
        JsonNode risky = sample("put-role-policy-passrole-star.json", memberA, memberA);
        String passAny = risky.path("detail").path("requestParameters").path("policyDocument").asText();
        inline(iamA, passAny);
        inline(iamB, SCOPED);
        inline(hubIam, SCOPED);
        AccountRouter router = hub("ALERT");

        GuardrailService.Outcome inA = deliver(router, risky);
        assertThat(inA.decision().verdict().name()).as(inA.decision().reason()).isEqualTo("ALERT");
        assertThat(inA.decision().findings()).extracting(f -> f.ruleId()).contains("PASSROLE_UNRESTRICTED");

        // The same call claimed in B, where the role holds the scoped policy: B's IAM decides, not A's or the hub's.
        GuardrailService.Outcome inB = deliver(router, sample("put-role-policy-passrole-star.json", memberB, memberB));
        assertThat(inB.decision().verdict().name()).as(inB.decision().reason()).isNotEqualTo("ALERT");
        assertThat(router.accountsServed()).containsExactlyInAnyOrder(memberA, memberB);

        JsonNode alert = drain().stream().filter(n -> n.path("Message").asText().contains(memberA)).findFirst()
                .orElseThrow();
        assertThat(alert.path("MessageAttributes").path("account").path("Value").asText()).isEqualTo(memberA);
        assertThat(alert.path("MessageAttributes").path("accountName").path("Value").asText()).isEqualTo("workloads-a");
        JsonNode message = JSON.readTree(alert.path("Message").asText());
        assertThat(message.path("event").path("account").asText()).isEqualTo(memberA);
        assertThat(message.path("event").path("accountName").asText()).isEqualTo("workloads-a");
    }

    @Test
    void remediationActsInTheMemberThroughItsMemberRoleAndNowhereElse(@TempDir Path dir) throws Exception {
        for (IamClient iam : List.of(iamA, iamB, hubIam)) {
            iam.createRole(b -> b.roleName("ci-runner").assumeRolePolicyDocument(LAMBDA_TRUST));
            iam.attachRolePolicy(b -> b.roleName("ci-runner").policyArn(ADMIN_ARN));
        }
        AccountRouter router = hub("REMEDIATE");
        JsonNode event = sample("attach-role-policy-admin.json", memberA, memberA);

        GuardrailService.Outcome o = deliver(router, event);

        assertThat(o.remediation()).hasValueSatisfying(r -> assertThat(r.status().name()).as(r.summary()).isEqualTo("DONE"));
        assertThat(attached(iamA)).as("in A").doesNotContain(ADMIN_ARN);
        assertThat(attached(iamB)).as("in B").contains(ADMIN_ARN);
        assertThat(attached(hubIam)).as("in the hub").contains(ADMIN_ARN);
        assertThat(cloudTrailCredentials).as("CloudTrail asked with A's member role")
                .contains("member role arn:aws:iam::" + memberA + ":role/" + ROLE_NAME);
        assertThat(cloudTrail.lookups).contains(event.path("detail").path("eventID").asText());
        String backup = o.remediation().orElseThrow().backupId().orElseThrow();
        assertThat(backup).startsWith(memberA + "/");
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).extracting(S3Object::key)
                .contains("backups/" + backup + ".json");
        assertThat(MOTO.dynamo().scan(b -> b.tableName("guardrail")).items()).extracting(i -> i.get("pk").s())
                .as("A's own writes and remediation budget in the hub's table, under A's id")
                .anyMatch(k -> k.startsWith(memberA + "#own#")).anyMatch(k -> k.startsWith(memberA + "#rate#"))
                .noneMatch(k -> k.startsWith("own#") || k.startsWith("rate#"));
        JsonNode alert = drain().stream().filter(n -> n.path("Message").asText().contains(
                event.path("detail").path("eventID").asText())).findFirst().orElseThrow();
        assertThat(alert.path("MessageAttributes").path("accountName").path("Value").asText()).isEqualTo("workloads-a");

        // Undone in A only: with the hub's credentials alone restore refuses, through A's member role it restores.
        hubIam.detachRolePolicy(b -> b.roleName("ci-runner").policyArn(ADMIN_ARN));
        String[] restore = {"restore", backup, "--backup-bucket", BUCKET, "--mac-key-id", macKey};
        JarCli.Run refused = JarCli.run(MOTO, dir, Map.of(), restore);
        assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
        assertThat(refused.messages()).contains("was made in account " + memberA, "add --assume-role-name NAME");
        assertThat(attached(iamA)).doesNotContain(ADMIN_ARN);
        JarCli.Run restored = JarCli.run(MOTO, dir, Map.of(), concat(restore, "--assume-role-name", ROLE_NAME,
                "--external-id", EXTERNAL_ID));
        assertThat(restored.exit()).as(restored.out() + restored.err()).isZero();
        assertThat(attached(iamA)).contains(ADMIN_ARN);
        assertThat(attached(hubIam)).as("the hub's role of the same name").doesNotContain(ADMIN_ARN);
    }

    static String[] concat(String[] a, String... b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void anEventOfAnAccountOutsideTheOrganizationIsRefusedAndNothingIsRead() throws Exception {
        AccountRouter router = hub("REMEDIATE");
        int lookups = cloudTrail.lookups.size();

        GuardrailService.Outcome o = deliver(router, sample("attach-role-policy-admin.json", OUTSIDE, OUTSIDE));

        assertThat(o.decision().verdict().name()).isEqualTo("SKIPPED");
        assertThat(o.decision().reason()).contains("not an active member of the organization");
        assertThat(router.accountsServed()).isEmpty();
        assertThat(cloudTrail.lookups).hasSize(lookups);
    }

    @Test
    void anEventWhoseEnvelopeNamesOneMemberAndItsRecipientAnotherIsRefusedEitherWay() throws Exception {
        AccountRouter router = hub("REMEDIATE");
        iamB.createRole(b -> b.roleName("victim").assumeRolePolicyDocument(LAMBDA_TRUST));
        iamB.attachRolePolicy(b -> b.roleName("victim").policyArn(ADMIN_ARN));
        iamA.createRole(b -> b.roleName("victim").assumeRolePolicyDocument(LAMBDA_TRUST));
        iamA.attachRolePolicy(b -> b.roleName("victim").policyArn(ADMIN_ARN));
        for (String[] forged : new String[][]{{memberA, memberB}, {memberB, memberA}, {HUB, memberB}}) {
            ObjectNode event = (ObjectNode) sample("attach-role-policy-admin.json", forged[0], forged[1]);
            ((ObjectNode) event.path("detail").path("requestParameters")).put("roleName", "victim");

            GuardrailService.Outcome o = deliver(router, event);

            assertThat(o.decision().verdict().name()).as(String.join(" -> ", forged)).isEqualTo("SKIPPED");
            assertThat(o.remediation()).isEmpty();
        }
        assertThat(router.accountsServed()).isEmpty();
        assertThat(attached(iamA, "victim")).contains(ADMIN_ARN);
        assertThat(attached(iamB, "victim")).contains(ADMIN_ARN);
    }

    @Test
    void replayFromALaptopJudgesEachEventInItsOwnAccountThroughTheNamedRole(@TempDir Path dir) throws Exception {
        ObjectNode risky = (ObjectNode) sample("put-role-policy-passrole-star.json", memberA, memberA);
        ((ObjectNode) risky.path("detail").path("requestParameters")).put("roleName", "laptop-runner");
        iamA.createRole(b -> b.roleName("laptop-runner").assumeRolePolicyDocument(LAMBDA_TRUST));
        iamA.putRolePolicy(b -> b.roleName("laptop-runner").policyName("deploy-functions").policyDocument(
                risky.path("detail").path("requestParameters").path("policyDocument").asText()));
        Path inA = Files.writeString(dir.resolve("a.json"), risky.toString());
        Path outside = Files.writeString(dir.resolve("outside.json"),
                sample("attach-role-policy-admin.json", OUTSIDE, OUTSIDE).toString());

        JarCli.Run run = JarCli.run(MOTO, dir, Map.of(), "replay", "--live", "--assume-role-name", ROLE_NAME,
                "--external-id", EXTERNAL_ID, "--organization", "--format", "json", inA.toString(), outside.toString());

        JsonNode events = JSON.readTree(run.out()).path("events");
        assertThat(events.path(0).path("verdict").asText()).as(run.out() + run.err()).isEqualTo("ALERT");
        assertThat(events.path(1).path("verdict").asText()).isEqualTo("SKIPPED");
        assertThat(events.path(1).path("reason").asText()).contains("not an active member of the organization");
        JarCli.Run misused = JarCli.run(MOTO, dir, Map.of(), "replay", "--live", "--organization", inA.toString());
        assertThat(misused.exit()).isEqualTo(2);
        assertThat(misused.messages()).isEqualTo("iam-guardrail: --organization goes with --assume-role-name NAME\n");
    }

    static List<String> attached(IamClient iam) {
        return attached(iam, "ci-runner");
    }

    static List<String> attached(IamClient iam, String role) {
        return iam.listAttachedRolePolicies(b -> b.roleName(role)).attachedPolicies().stream()
                .map(AttachedPolicy::policyArn).toList();
    }

    List<JsonNode> drain() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages();
            for (Message m : messages) {
                out.add(JSON.readTree(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
            if (messages.isEmpty() && !out.isEmpty()) {
                break;
            }
        }
        return out;
    }
}
