package io.iamguardrail.live;

import io.iamguardrail.aws.MemberSessions;
import io.iamguardrail.aws.OrganizationsAccounts;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.organization.MemberRole;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's way into its member accounts against moto's multi-account emulation: the organization's active accounts
 * read from Organizations, the member role assumed once per account and kept until shortly before it expires, and
 * what is read with a member's session is that member's, never the hub's or another member's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrganizationAccessLiveTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    static final StaticCredentialsProvider HUB = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("testing", "testing"));

    String memberA;
    String memberB;

    @BeforeAll
    void organization() throws Exception {
        Organizations org = new Organizations(MOTO.endpoint());
        org.create();
        memberA = org.createAccount("workloads-a");
        memberB = org.createAccount("workloads-b");
    }

    @Test
    void listsTheActiveMembersWithTheirNames() {
        OrganizationsAccounts accounts = accounts(Clock.systemUTC());

        assertThat(accounts.activeMember(memberA)).contains(new MemberAccount(memberA, "workloads-a"));
        assertThat(accounts.activeMember(memberB)).contains(new MemberAccount(memberB, "workloads-b"));
        assertThat(accounts.activeMember("999999999999")).as("an account outside the organization").isEmpty();
        assertThat(accounts.activeMembers()).extracting(MemberAccount::id).contains(memberA, memberB);
    }

    @Test
    void aMembersSessionReadsThatMemberOnly() {
        try (StsClient sts = sts(); IamClient hub = MOTO.iam()) {
            MemberSessions sessions = new MemberSessions(sts, new MemberRole("iam-guardrail-member",
                    Optional.of("external-id-of-the-hub")), "aws", Clock.systemUTC());
            try (IamClient a = memberIam(sessions, memberA); IamClient b = memberIam(sessions, memberB)) {
                a.createRole(r -> r.roleName("only-in-a").assumeRolePolicyDocument(AuditLiveTest.LAMBDA_TRUST));

                assertThat(a.listRoles().roles()).extracting(Role::arn)
                        .contains("arn:aws:iam::" + memberA + ":role/only-in-a");
                assertThat(b.listRoles().roles()).extracting(Role::roleName).doesNotContain("only-in-a");
                assertThat(hub.listRoles().roles()).extracting(Role::roleName).doesNotContain("only-in-a");
            }
        }
    }

    @Test
    void oneSessionPerAccountUntilShortlyBeforeItExpires() {
        MutableClock clock = new MutableClock(Instant.now());
        try (StsClient sts = sts()) {
            MemberSessions sessions = new MemberSessions(sts, new MemberRole("iam-guardrail-member", Optional.empty()),
                    "aws", clock);
            MemberSessions.Session first = sessions.open(memberA, "event 1f2e3d4c-aaaa");
            MemberSessions.Session again = sessions.open(memberA, "event 99999999-bbbb");

            assertThat(again).as("a second event of the account within the hour").isSameAs(first);
            assertThat(first.name()).isEqualTo("iam-guardrail-event-1f2e3d4c-aaaa");

            clock.now = first.expires().minus(Duration.ofMinutes(4));
            MemberSessions.Session renewed = sessions.open(memberA, "event 99999999-bbbb");
            assertThat(renewed).as("four minutes before expiry").isNotSameAs(first);
            assertThat(renewed.name()).isEqualTo("iam-guardrail-event-99999999-bbbb");
        }
    }

    private OrganizationsAccounts accounts(Clock clock) {
        return new OrganizationsAccounts(UrlConnectionHttpClient.create(), HUB, MOTO.endpoint(), "us-east-1", clock);
    }

    private StsClient sts() {
        return StsClient.builder().endpointOverride(MOTO.endpoint()).region(Region.US_EAST_1).credentialsProvider(HUB)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private IamClient memberIam(MemberSessions sessions, String account) {
        sessions.open(account, "test");
        return IamClient.builder().endpointOverride(MOTO.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(sessions.credentials(account))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
