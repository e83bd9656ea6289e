package io.iamguardrail.wiring;

import io.iamguardrail.audit.AccessAdvisor;
import io.iamguardrail.audit.AccountSnapshot;
import io.iamguardrail.audit.Audit;
import io.iamguardrail.audit.AuditReport;
import io.iamguardrail.audit.KnownAlerts;
import io.iamguardrail.audit.PreviousReport;
import io.iamguardrail.audit.organization.MemberAudits;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.IamAccessAdvisor;
import io.iamguardrail.aws.LiveAccountReader;
import io.iamguardrail.aws.MemberSessions;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.organization.MemberAccount;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;

import java.time.Clock;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * One member account audited through an IAM client signed with that account's member-role session: the same sweep
 * as the account's own audit, with the account id fixed to the member's, and refused when what was read is of
 * another account. The Lambda in hub mode and {@code audit --live --organization} both audit this way.
 */
public final class MemberAuditing implements MemberAudits {

    private final BiFunction<MemberAccount, String, IamClient> memberIam;
    private final AuditEnvironment.Settings settings;
    private final ManagedPolicySnapshot snapshot;
    private final KnownAlerts alerts;
    private final Clock clock;

    public MemberAuditing(BiFunction<MemberAccount, String, IamClient> memberIam, AuditEnvironment.Settings settings,
                          ManagedPolicySnapshot snapshot, KnownAlerts alerts, Clock clock) {
        this.memberIam = memberIam;
        this.settings = settings;
        this.snapshot = snapshot;
        this.alerts = alerts;
        this.clock = clock;
    }

    /**
     * IAM clients of member accounts: the session is opened first (its name says which audit came), so that a role
     * that cannot be assumed fails here, before any read; {@code builder} gives the production settings or a test's.
     */
    public static BiFunction<MemberAccount, String, IamClient> memberIam(MemberSessions sessions,
                                                                        Supplier<IamClientBuilder> builder) {
        return (account, date) -> {
            sessions.open(account.id(), "audit " + date);
            return builder.get().credentialsProvider(sessions.credentials(account.id())).build();
        };
    }

    /** With {@link Clients#iamBuilder()}: IAM's global region, adaptive retries. */
    public static BiFunction<MemberAccount, String, IamClient> memberIam(MemberSessions sessions) {
        return memberIam(sessions, Clients::iamBuilder);
    }

    @Override
    public AuditReport audit(MemberAccount account, String date, Optional<PreviousReport> previous) {
        try (IamClient iam = memberIam.apply(account, date)) {
            AccountSnapshot read = new LiveAccountReader(iam, snapshot).read();
            if (read.accountId().isPresent() && !read.accountId().get().equals(account.id())) {
                throw new IllegalStateException("expected the member role of " + account.id() + " to read that account"
                        + " but it read " + read.accountId().get());
            }
            AccessAdvisor advisor = settings.accessAdvisor() ? new IamAccessAdvisor(iam) : AccessAdvisor.NONE;
            return new Audit(settings.config().withAccountId(account.id()), advisor, snapshot, settings.unusedDays(),
                    settings.advisorLimit(), clock).run(read, previous, alerts);
        }
    }
}
