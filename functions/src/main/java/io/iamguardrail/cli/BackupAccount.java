package io.iamguardrail.cli;

import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.MemberSessions;
import io.iamguardrail.organization.MemberRole;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import java.time.Clock;
import java.util.Optional;

/**
 * The account a backup is restored in. A hub's backup of a member account ({@code 111122223333/<eventId>/<n>}; the
 * id is inside the signed body, so it cannot be renamed) is written back only in that account: with the caller's
 * credentials when they are of it, else through {@code --assume-role-name} there, never in the caller's own account,
 * where it would change the principals of the same names.
 */
final class BackupAccount {

    private BackupAccount() {
    }

    static IamClient iam(String backupId, Optional<String> roleName, Optional<String> externalId) throws UsageException {
        if (!backupId.matches("\\d{12}/.*")) {
            if (roleName.isPresent() || externalId.isPresent()) {
                throw new UsageException("--assume-role-name and --external-id are for a hub's backups of member"
                        + " accounts (<account>/<eventId>/<n>), not `" + backupId + "`");
            }
            return Clients.iam();
        }
        String account = backupId.substring(0, 12);
        StsClient sts = Clients.sts();
        GetCallerIdentityResponse caller;
        try {
            caller = sts.getCallerIdentity();
        } catch (SdkException e) {
            throw new UsageException("backup " + backupId + " was made in account " + account + " but whose"
                    + " credentials these are could not be told (STS GetCallerIdentity: " + e.getMessage()
                    + "): nothing was changed");
        }
        if (caller.account().equals(account)) {
            return Clients.iam();
        }
        if (roleName.isEmpty()) {
            throw new UsageException("backup " + backupId + " was made in account " + account + " but these"
                    + " credentials are of account " + caller.account() + ": add --assume-role-name NAME (the member"
                    + " role) or use credentials of " + account + "; nothing was changed");
        }
        MemberRole role;
        try {
            role = new MemberRole(roleName.get(), externalId);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--assume-role-name/--external-id: " + e.getMessage());
        }
        MemberSessions sessions = new MemberSessions(sts, role, caller.arn().split(":", 3)[1], Clock.systemUTC());
        try {
            sessions.open(account, "restore-" + backupId);
        } catch (SdkException e) {
            throw new UsageException("could not assume " + role.name() + " in account " + account + ": "
                    + e.getMessage() + "; nothing was changed");
        }
        return Clients.iamBuilder().credentialsProvider(sessions.credentials(account)).build();
    }
}
