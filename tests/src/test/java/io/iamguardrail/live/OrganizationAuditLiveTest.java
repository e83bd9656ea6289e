package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.audit.ScheduledAudit;
import io.iamguardrail.audit.organization.OrganizationAudit;
import io.iamguardrail.aws.MemberSessions;
import io.iamguardrail.aws.OrganizationsAccounts;
import io.iamguardrail.handlers.AuditHandler;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.organization.MemberRole;
import io.iamguardrail.wiring.AuditEnvironment;
import io.iamguardrail.wiring.HubAuditEnvironment;
import io.iamguardrail.wiring.MemberAuditing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sts.StsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The organization audit against moto's multi-account emulation, step by step as the state machine calls the audit
 * function in the hub: the member list, each member account audited through its member role into its own
 * {@code audit/<date>/<account>/}, the roll-up with one summary; then {@code audit --live --organization} of the
 * packaged CLI on the same organization. moto checks no trust policy, external id or membership: what keeps an
 * account's principals out of another's report is the guardrail's own doing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrganizationAuditLiveTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    static final StaticCredentialsProvider HUB = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    static final String ROLE = "iam-guardrail-member";
    static final String OUTSIDER = "999900001111";
    private static final ObjectMapper JSON = new ObjectMapper();

    String memberA;
    String memberB;
    String date = LocalDate.now(ZoneOffset.UTC).toString();
    S3Client s3;
    SqsClient sqs;
    String queueUrl;
    AuditHandler handler;
    /** IAM calls made through member sessions, by operation: the figures docs/organization.md quotes. */
    final Map<String, Integer> iamCalls = new ConcurrentSkipListMap<>();

    @BeforeAll
    void organization() throws Exception {
        Organizations org = new Organizations(MOTO.endpoint());
        org.create();
        memberA = org.createAccount("workloads-a");
        memberB = org.createAccount("workloads-b");
        StsClient sts = StsClient.builder().endpointOverride(MOTO.endpoint()).region(Region.US_EAST_1).credentialsProvider(HUB)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        MemberSessions sessions = new MemberSessions(sts, new MemberRole(ROLE, Optional.of("hub-stack-id")), "aws",
                Clock.systemUTC());
        var memberIam = MemberAuditing.memberIam(sessions, () -> IamClient.builder().endpointOverride(MOTO.endpoint())
                .region(Region.AWS_GLOBAL).httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        iamCalls.merge(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1, Integer::sum);
                    }
                })));

        // Member A: a vendor's role with administrator access. Member B: a CI user who may create anyone's keys.
        try (IamClient a = memberIam.apply(new MemberAccount(memberA, "a"), "setup");
             IamClient b = memberIam.apply(new MemberAccount(memberB, "b"), "setup")) {
            a.createRole(r -> r.roleName("vendor-admin").assumeRolePolicyDocument(AuditLiveTest.VENDOR_TRUST));
            a.attachRolePolicy(r -> r.roleName("vendor-admin").policyArn(AuditLiveTest.ADMIN));
            b.createUser(u -> u.userName("ci-bot"));
            b.putUserPolicy(p -> p.userName("ci-bot").policyName("rotate-keys").policyDocument(AuditLiveTest.ANY_USERS_KEYS));
            b.createRole(r -> r.roleName("orders-api-handler").assumeRolePolicyDocument(AuditLiveTest.LAMBDA_TRUST));
        }
        // The hub's own account has a principal of its own, which no member's report may show.
        try (IamClient hub = MOTO.iam()) {
            hub.createRole(r -> r.roleName("hub-only-admin").assumeRolePolicyDocument(AuditLiveTest.VENDOR_TRUST));
        }

        s3 = MOTO.s3();
        s3.createBucket(b -> b.bucket("guardrail-reports"));
        SnsClient sns = MOTO.sns();
        String topic = sns.createTopic(b -> b.name("iam-guardrail-alerts")).topicArn();
        sqs = MOTO.sqs();
        queueUrl = MOTO.subscribeQueue(topic, "org-audit-alerts", Map.of());
        Map<String, String> env = Map.of("REPORT_BUCKET", "guardrail-reports", "TOPIC_ARN", topic, "ACCESS_ADVISOR", "false",
                "DEPLOYMENT_MODE", "hub", "MEMBER_ROLE_NAME", ROLE, "MEMBER_EXTERNAL_ID", "hub-stack-id");
        OrganizationAudit hub = HubAuditEnvironment.audit(env, new OrganizationsAccounts(UrlConnectionHttpClient.create(),
                HUB, MOTO.endpoint(), "us-east-1", Clock.systemUTC()), memberIam, s3, sns, null);
        ScheduledAudit own = AuditEnvironment.audit(env, MOTO.iam(), s3, sns);
        handler = new AuditHandler(own, Optional.of(hub));
    }

    JsonNode invoke(String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    JsonNode object(String key) throws Exception {
        return JSON.readTree(s3.getObjectAsBytes(b -> b.bucket("guardrail-reports").key(key)).asUtf8String());
    }

    static List<String> principals(JsonNode report) {
        return StreamSupport.stream(report.path("principals").spliterator(), false).map(p -> p.path("arn").asText()).toList();
    }

    static JsonNode account(JsonNode org, String id) {
        return StreamSupport.stream(org.path("accounts").spliterator(), false)
                .filter(a -> a.path("account").asText().equals(id)).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void theStateMachinesStepsAuditEachMemberInItsOwnFolderAndRollUpIntoOneSummary() throws Exception {
        JsonNode list = invoke("{\"listAccounts\":true}");
        assertThat(list.path("accounts").findValuesAsText("account")).contains(memberA, memberB);

        ArrayNode results = JSON.createArrayNode();
        for (JsonNode a : list.path("accounts")) {
            ObjectNode input = JSON.createObjectNode().put("account", a.path("account").asText())
                    .put("name", a.path("name").asText()).put("date", date);
            iamCalls.clear();
            long start = System.nanoTime();
            JsonNode result = invoke(input.toString());
            System.out.printf("organization audit on moto: account %s (%d principals) in %d ms, IAM calls %s%n",
                    a.path("name").asText(), result.path("principalsScanned").asInt(), (System.nanoTime() - start) / 1_000_000,
                    iamCalls);
            assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("AUDITED");
            results.add(result);
        }
        JsonNode outsider = invoke("{\"account\":\"" + OUTSIDER + "\",\"name\":\"not ours\",\"date\":\"" + date + "\"}");
        assertThat(outsider.path("status").asText()).isEqualTo("FAILED");
        assertThat(outsider.path("reason").asText()).contains("not an active member of the organization");

        JsonNode reportA = object("audit/" + date + "/" + memberA + "/report.json");
        JsonNode reportB = object("audit/" + date + "/" + memberB + "/report.json");
        assertThat(reportA.path("account").asText()).isEqualTo(memberA);
        assertThat(principals(reportA)).contains("arn:aws:iam::" + memberA + ":role/vendor-admin")
                .allMatch(arn -> arn.contains(":" + memberA + ":"));
        assertThat(principals(reportB)).contains("arn:aws:iam::" + memberB + ":user/ci-bot")
                .allMatch(arn -> arn.contains(":" + memberB + ":"));
        assertThat(reportA.toString()).doesNotContain("ci-bot", "hub-only-admin");
        assertThat(reportB.toString()).doesNotContain("vendor-admin", "hub-only-admin");
        assertThat(drain()).as("no account publishes an alert of its own").isEmpty();

        JsonNode rolled = invoke(JSON.createObjectNode().set("rollUp", JSON.createObjectNode().put("date", date)
                .set("accounts", results)).toString());
        assertThat(rolled.path("report").asText()).isEqualTo("s3://guardrail-reports/audit/" + date + "/organization.json");
        JsonNode org = object("audit/" + date + "/organization.json");
        assertThat(org.path("schema").asText()).isEqualTo("iam-guardrail/org-audit/1");
        assertThat(account(org, memberA).path("name").asText()).isEqualTo("workloads-a");
        assertThat(account(org, memberA).path("bySeverity").path("CRITICAL").asInt()).isPositive();
        assertThat(account(org, memberB).path("status").asText()).isEqualTo("AUDITED");
        assertThat(org.path("worst").findValuesAsText("principal")).contains("arn:aws:iam::" + memberA + ":role/vendor-admin",
                "arn:aws:iam::" + memberB + ":user/ci-bot");
        assertThat(keys()).contains("audit/" + date + "/organization.html", "audit/" + date + "/" + memberA + "/report.html");

        List<JsonNode> messages = drain();
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).path("MessageAttributes").path("eventName").path("Value").asText())
                .isEqualTo("OrganizationAudit");
        JsonNode summary = JSON.readTree(messages.get(0).path("Message").asText());
        assertThat(summary.path("schema").asText()).isEqualTo("iam-guardrail/org-audit-summary/1");
        assertThat(summary.path("audited").asInt()).isEqualTo(list.path("accounts").size());
    }

    @Test
    @Order(2)
    void theCliAuditsTheOrganizationThroughTheMemberRoleIntoAFolderAndRollsItUp(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("org");
        JarCli.Run run = JarCli.run(MOTO, dir, Map.of(), "audit", "--live", "--organization", "--assume-role-name", ROLE,
                "--external-id", "hub-stack-id", "--parallel", "2", "--output", out.toString(), "--format", "json",
                "--unused-days", "90");

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("audited " + memberA + " (workloads-a)", "audited " + memberB + " (workloads-b)");
        JsonNode a = JSON.readTree(Files.readString(out.resolve(memberA).resolve("report.json")));
        assertThat(principals(a)).contains("arn:aws:iam::" + memberA + ":role/vendor-admin")
                .allMatch(arn -> arn.contains(":" + memberA + ":"));
        JsonNode org = JSON.readTree(run.out());
        assertThat(org.path("accounts").findValuesAsText("account")).contains(memberA, memberB);
        assertThat(account(org, memberB).path("status").asText()).isEqualTo("AUDITED");
        assertThat(Files.readString(out.resolve("organization.json"))).contains("iam-guardrail/org-audit/1");

        JarCli.Run chosen = JarCli.run(MOTO, dir, Map.of(), "audit", "--live", "--organization", "--assume-role-name", ROLE,
                "--accounts", memberB, "--output", dir.resolve("b-only").toString(), "--format", "json");
        assertThat(JSON.readTree(chosen.out()).path("accounts").findValuesAsText("account")).containsExactly(memberB);

        JarCli.Run rolled = JarCli.run(MOTO, dir, Map.of(), "audit", "--roll-up", out.toString(), "--format", "text");
        assertThat(rolled.out()).startsWith("IAM Guardrail audit of the organization, ").contains(memberA, memberB);
    }

    @Test
    @Order(3)
    void aMemberSessionThatReadsAnotherAccountIsRefusedAndNothingIsStoredUnderEither() throws Exception {
        // The attack: B's credentials handed out for A (a mixed-up session, a member role whose trust lets B in).
        StsClient sts = StsClient.builder().endpointOverride(MOTO.endpoint()).region(Region.US_EAST_1).credentialsProvider(HUB)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        MemberSessions sessions = new MemberSessions(sts, new MemberRole(ROLE, Optional.empty()), "aws", Clock.systemUTC());
        var intoB = MemberAuditing.memberIam(sessions, () -> IamClient.builder().endpointOverride(MOTO.endpoint())
                .region(Region.AWS_GLOBAL).httpClientBuilder(UrlConnectionHttpClient.builder()));
        Map<String, String> env = Map.of("REPORT_BUCKET", "guardrail-reports", "TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:x",
                "ACCESS_ADVISOR", "false", "DEPLOYMENT_MODE", "hub", "MEMBER_ROLE_NAME", ROLE);
        OrganizationAudit mixedUp = HubAuditEnvironment.audit(env, new OrganizationsAccounts(UrlConnectionHttpClient.create(),
                HUB, MOTO.endpoint(), "us-east-1", Clock.systemUTC()),
                (account, day) -> intoB.apply(new MemberAccount(memberB, "b"), day), s3, MOTO.sns(), null);

        OrganizationAudit.AccountOutcome outcome = mixedUp.audit(memberA, "2031-01-06");

        assertThat(outcome.report()).isEmpty();
        assertThat(outcome.reason().orElseThrow()).isEqualTo("IllegalStateException: expected the member role of "
                + memberA + " to read that account but it read " + memberB);
        assertThat(keys()).contains("audit/2031-01-06/" + memberA + "/failed.json")
                .noneMatch(k -> k.startsWith("audit/2031-01-06/") && k.endsWith("report.json"));
    }

    private List<String> keys() {
        return s3.listObjectsV2Paginator(b -> b.bucket("guardrail-reports")).contents().stream().map(S3Object::key).toList();
    }

    private List<JsonNode> drain() throws Exception {
        return MOTO.drain(queueUrl);
    }
}
