package io.iamguardrail.cli;

import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.MemberSessions;
import io.iamguardrail.aws.OrganizationsAccounts;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.organization.MemberRole;
import io.iamguardrail.organization.Organization;
import io.iamguardrail.pipeline.AccountRouter;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.wiring.AwsClients;
import io.iamguardrail.wiring.EvaluatorSetup;
import io.iamguardrail.wiring.HubWiring;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code replay --live --assume-role-name NAME}: the hub's routing from a laptop. The caller's own account is read
 * with the caller's credentials; every other account's events through {@code NAME} assumed in that account. With
 * {@code --organization} only the organization's active members are judged, as in the hub; without it any account
 * whose role the caller can assume is.
 */
final class MemberReplay {

    /** The account of the caller's credentials, which {@code replay} binds its own events to. */
    record Routed(AccountRouter router, String callerAccount) {
    }

    private MemberReplay() {
    }

    static Routed wire(EvaluatorSetup setup, String roleName, Optional<String> externalId, boolean organization)
            throws UsageException {
        MemberRole role;
        try {
            role = new MemberRole(roleName, externalId);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--assume-role-name/--external-id: " + e.getMessage());
        }
        StsClient sts = Clients.sts();
        GetCallerIdentityResponse caller;
        try {
            caller = sts.getCallerIdentity();
        } catch (SdkException e) {
            throw new UsageException("--assume-role-name: could not tell whose credentials these are (STS"
                    + " GetCallerIdentity: " + e.getMessage() + ")");
        }
        String partition = caller.arn().split(":", 3)[1];
        Clock clock = Clock.systemUTC();
        Organization accounts = organization
                ? new OrganizationsAccounts(UrlConnectionHttpClient.create(), DefaultCredentialsProvider.create(),
                OrganizationsAccounts.endpoint(System.getenv()), "us-east-1", clock)
                : anyAccount();
        HubWiring.Hub hub = new HubWiring.Hub(accounts, new MemberSessions(sts, role, partition, clock), role, partition,
                HubWiring.MemberClients.standard());
        return new Routed(HubWiring.live(setup, AwsClients.standard(), DecisionLog.silent(), hub), caller.account());
    }

    /** Every account, named by its id: the operator chose the events, and the role's trust decides who gets in. */
    private static Organization anyAccount() {
        return new Organization() {
            @Override
            public Optional<MemberAccount> activeMember(String accountId) {
                return accountId.matches("\\d{12}") ? Optional.of(new MemberAccount(accountId, accountId))
                        : Optional.empty();
            }

            @Override
            public List<MemberAccount> activeMembers() {
                return List.of();
            }
        };
    }
}
