package io.iamguardrail.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.notify.AlertAttributes;
import io.iamguardrail.notify.SlackRenderer;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.organization.Organization;
import io.iamguardrail.remediation.PlanOnly;
import io.iamguardrail.remediation.Planner;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hub's evaluator routes each event to the service of its own account: a member's event is judged with that
 * member's IAM state only, an event of an account outside the organization or naming two accounts is never judged,
 * and each account keeps one service (and so one state cache) of its own.
 */
class AccountRouterTest {

    static final String HUB = "123456789012";
    static final String A = "111122223333";
    static final String B = "444455556666";
    static final String OUTSIDE = "777788889999";
    static final String LAMBDA_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String READ_BUCKET = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::acme-reports/*\"}]}";
    static final String ADMIN = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each account's IAM: the same role name, risky only in A. */
    final Map<String, FakeIamState> iam = Map.of(HUB, role(READ_BUCKET), A, role(ADMIN), B, role(READ_BUCKET));
    final List<Alert> published = new ArrayList<>();
    final Map<String, Integer> built = new HashMap<>();
    final Map<String, List<Invocation>> seen = new HashMap<>();
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final DecisionLog log = new DecisionLog(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());
    Organization organization = Organization.of(List.of(new MemberAccount(A, "workloads-a"),
            new MemberAccount(B, "workloads-b")));

    final AccountRouter router = new AccountRouter(service(HUB, Optional.empty()), new Organization() {
        @Override
        public Optional<MemberAccount> activeMember(String accountId) {
            return organization.activeMember(accountId);
        }

        @Override
        public List<MemberAccount> activeMembers() {
            return organization.activeMembers();
        }
    }, member -> {
        built.merge(member.id(), 1, Integer::sum);
        return service(member.id(), Optional.of(member.name()));
    }, log);

    static FakeIamState role(String inline) {
        return new FakeIamState().role("reports", LAMBDA_TRUST, Map.of("read", inline), List.of());
    }

    /** One account's real service over that account's IAM, recording the invocations it is given. */
    Guardrail service(String account, Optional<String> name) {
        FakeIamState state = iam.get(account);
        GuardrailConfig config = GuardrailConfig.defaults();
        GuardrailService real = new GuardrailService(new EventEvaluator(state, config, Optional.empty()), a -> {
            published.add(a);
            return "m-" + published.size();
        }, EventLedger.NONE, log, () -> state.lookups, new PlanOnly(new Planner(config, Clock.systemUTC())),
                AlertedFindings.NONE, name);
        return new Guardrail() {
            @Override
            public GuardrailService.Outcome process(EventDecoder.Decoded decoded, Invocation invocation) {
                seen.computeIfAbsent(account, k -> new ArrayList<>()).add(invocation);
                return real.process(decoded, invocation);
            }

            @Override
            public GuardrailConfig config() {
                return config;
            }
        };
    }

    /** The forged-looking PutRolePolicy that IAM of the account decides: risky where the role holds admin. */
    static String event(String envelope, String recipient) {
        return Events.json("PutRolePolicy", "{\"roleName\":\"reports\",\"policyName\":\"read\",\"policyDocument\":"
                        + quoted(ADMIN) + "}").replace("123456789012", recipient)
                .replace("\"account\":\"" + recipient + "\"", "\"account\":\"" + envelope + "\"");
    }

    GuardrailService.Outcome process(String event) {
        return router.process(event.getBytes(StandardCharsets.UTF_8),
                new Invocation("req-1", Optional.of(HUB), Instant.now().plusSeconds(60)));
    }

    @Test
    void aMembersEventIsJudgedWithThatMembersIamAndNoOtherAccounts() {
        GuardrailService.Outcome inA = process(event(A, A));

        assertThat(inA.decision().verdict()).as(inA.decision().reason()).isEqualTo(Verdict.ALERT);
        assertThat(iam.get(A).lookups).isPositive();
        assertThat(iam.get(B).lookups).as("B's IAM").isZero();
        assertThat(iam.get(HUB).lookups).as("the hub's IAM").isZero();
        assertThat(seen.get(A)).singleElement().satisfies(i ->
                assertThat(i.ownAccount()).as("the member's service is bound to the member").contains(A));

        GuardrailService.Outcome inB = process(event(B, B));
        assertThat(inB.decision().verdict()).as("the same event in B, where the role is clean").isNotEqualTo(Verdict.ALERT);
        assertThat(iam.get(B).lookups).isPositive();
    }

    @Test
    void theAlertOfAMemberNamesItsAccountIdAndNameEverywhere() throws Exception {
        process(event(A, A));

        Alert alert = published.get(0);
        assertThat(alert.attributes()).containsEntry(AlertAttributes.ACCOUNT, A)
                .containsEntry(AlertAttributes.ACCOUNT_NAME, "workloads-a");
        JsonNode event = JSON.readTree(alert.json()).get("event");
        assertThat(event.get("account").asText()).isEqualTo(A);
        assertThat(event.get("accountName").asText()).isEqualTo("workloads-a");
        assertThat(alert.email()).contains("Account:   111122223333 (workloads-a)");
        assertThat(alert.subject()).startsWith("[CRITICAL] workloads-a: alice@example.com (AWSReservedSSO_Admin_0123) PutRolePolicy");
        assertThat(SlackRenderer.render(alert.document().orElseThrow())).contains("`111122223333` (workloads-a)");
    }

    @Test
    void theHubsOwnAccountIsGuardedAsASingleAccountAndItsAlertsCarryNoName() throws Exception {
        iam.get(HUB).role("reports", LAMBDA_TRUST, Map.of("read", ADMIN), List.of());
        GuardrailService.Outcome own = process(event(HUB, HUB));

        assertThat(own.decision().verdict()).isEqualTo(Verdict.ALERT);
        assertThat(built).as("no member service for the hub's own events").isEmpty();
        assertThat(published.get(0).attributes()).doesNotContainKey(AlertAttributes.ACCOUNT_NAME);
        assertThat(JSON.readTree(published.get(0).json()).get("event").has("accountName")).isFalse();
    }

    @Test
    void anAccountOutsideTheOrganizationIsSkippedWithoutReadingAnything() {
        iam.values().forEach(s -> s.lookups = 0);
        GuardrailService.Outcome o = process(event(OUTSIDE, OUTSIDE));

        assertThat(o.decision().verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(o.decision().reason()).isEqualTo("account 777788889999 is not an active member of the"
                + " organization: not evaluated, nothing read or changed");
        assertThat(built).isEmpty();
        assertThat(iam.values()).allSatisfy(s -> assertThat(s.lookups).isZero());
        assertThat(published).isEmpty();
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("not an active member");
    }

    @Test
    void aMemberThatLeftOrWasSuspendedIsNoLongerGuarded() {
        process(event(B, B));
        organization = Organization.of(List.of(new MemberAccount(A, "workloads-a")));
        int before = iam.get(B).lookups;

        GuardrailService.Outcome o = process(event(B, B));

        assertThat(o.decision().verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(iam.get(B).lookups).as("the kept service of B is not used").isEqualTo(before);
    }

    @Test
    void anEventWhoseEnvelopeAndRecipientNameDifferentAccountsIsRefusedEitherWay() {
        for (String[] forged : new String[][]{{A, B}, {B, A}, {A, HUB}, {OUTSIDE, A}}) {
            GuardrailService.Outcome o = process(event(forged[0], forged[1]));

            assertThat(o.decision().verdict()).as(String.join(" -> ", forged)).isEqualTo(Verdict.SKIPPED);
            assertThat(o.decision().reason()).contains("must name the same account in both");
        }
        GuardrailService.Outcome hubEnvelope = process(event(HUB, A));
        assertThat(hubEnvelope.decision().verdict()).as("the hub's envelope, a member's recipient")
                .isEqualTo(Verdict.SKIPPED);
        assertThat(built).isEmpty();
        assertThat(iam.values()).allSatisfy(s -> assertThat(s.lookups).isZero());
        assertThat(published).isEmpty();
    }

    @Test
    void anEventWithoutARecipientIsNotAMembers() {
        String noRecipient = event(A, A).replace("\"recipientAccountId\":\"" + A + "\",", "");
        assertThat(noRecipient).doesNotContain("recipientAccountId");

        assertThat(process(noRecipient).decision().verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(built).isEmpty();
    }

    @Test
    void eachAccountHasOneServiceKeptAcrossItsEvents() {
        process(event(A, A));
        process(event(B, B));
        process(event(A, A));

        assertThat(built).isEqualTo(Map.of(A, 1, B, 1));
        assertThat(router.accountsServed()).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void anUnreadableOrganizationFailsTheDeliverySoThatLambdaRetries() {
        organization = new Organization() {
            @Override
            public Optional<MemberAccount> activeMember(String accountId) {
                throw new IllegalStateException("ListAccounts answered 500");
            }

            @Override
            public List<MemberAccount> activeMembers() {
                throw new IllegalStateException("ListAccounts answered 500");
            }
        };
        GuardrailService.Outcome o = process(event(A, A));

        assertThat(o.decision().verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(o.retry()).hasValueSatisfying(r -> assertThat(r).contains("ListAccounts answered 500"));
        assertThat(built).isEmpty();
    }

    @Test
    void aMalformedEventIsTheHomeServicesError() {
        GuardrailService.Outcome o = router.process("{\"detail\":".getBytes(StandardCharsets.UTF_8),
                new Invocation("req-1", Optional.of(HUB), Instant.now().plusSeconds(60)));

        assertThat(o.decision().verdict()).isEqualTo(Verdict.ERROR);
        assertThat(built).isEmpty();
    }
}
