package io.iamguardrail.aws;

import io.iamguardrail.organization.MemberRole;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hub's sessions in its member accounts: the member role of each account, assumed with the external id, kept
 * until shortly before it expires, so that a burst of one account's events costs one {@code AssumeRole}. Each account
 * has its own session: credentials of one account are never used in another.
 */
public final class MemberSessions {

    /** Renewed this long before expiry, so that no call starts with credentials about to lapse. */
    static final Duration MARGIN = Duration.ofMinutes(5);

    private final StsClient sts;
    private final MemberRole role;
    private final String partition;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> reasons = new ConcurrentHashMap<>();

    /** A session in one account; {@code name} is what the member's CloudTrail shows as the role session name. */
    public record Session(String account, String name, AwsSessionCredentials credentials, Instant expires) {
    }

    public MemberSessions(StsClient sts, MemberRole role, String partition, Clock clock) {
        this.sts = sts;
        this.role = role;
        this.partition = partition;
        this.clock = clock;
    }

    /**
     * A valid session in {@code account}, assumed now (its session name from {@code why}) when none is held or the
     * held one is about to expire.
     */
    public Session open(String account, String why) {
        reasons.put(account, why);
        return sessions.compute(account, (a, held) -> held != null && fresh(held) ? held : assume(a, why));
    }

    /**
     * Credentials of {@code account} for an SDK client: renewed on use, so a client kept for the container never signs
     * with expired ones.
     */
    public AwsCredentialsProvider credentials(String account) {
        return new AwsCredentialsProvider() {
            @Override
            public AwsCredentials resolveCredentials() {
                return open(account, reasons.getOrDefault(account, "renewal")).credentials();
            }

            @Override
            public String toString() {
                return "member role " + role.arnIn(partition, account);
            }
        };
    }

    /** Assumptions made so far, for tests and the decision log. */
    public int held() {
        return sessions.size();
    }

    private boolean fresh(Session s) {
        return clock.instant().plus(MARGIN).isBefore(s.expires());
    }

    private Session assume(String account, String why) {
        String name = MemberRole.sessionName(why);
        AssumeRoleRequest.Builder request = AssumeRoleRequest.builder().roleArn(role.arnIn(partition, account))
                .roleSessionName(name).durationSeconds(3600);
        role.externalId().ifPresent(request::externalId);
        Credentials c = sts.assumeRole(request.build()).credentials();
        return new Session(account, name, AwsSessionCredentials.builder().accessKeyId(c.accessKeyId())
                .secretAccessKey(c.secretAccessKey()).sessionToken(c.sessionToken()).expirationTime(c.expiration())
                .build(), c.expiration());
    }
}
