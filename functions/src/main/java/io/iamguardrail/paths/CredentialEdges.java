package io.iamguardrail.paths;

import io.iamguardrail.engine.Permissions;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * New credentials for another user: access keys, a console password (created or reset) act as the user everywhere;
 * service-specific credentials (CodeCommit, Keyspaces) only in their service, so those hops are potential.
 */
final class CredentialEdges {

    private record Way(String action, String detail, boolean potential) {
    }

    private static final List<Way> WAYS = List.of(
            new Way("iam:CreateAccessKey", "may create an access key for", false),
            new Way("iam:CreateLoginProfile", "may create a console password for", false),
            new Way("iam:UpdateLoginProfile", "may reset the console password of", false),
            new Way("iam:CreateServiceSpecificCredential", "may create service-specific credentials for", true));

    private CredentialEdges() {
    }

    static void into(AccountView v, Member user, Consumer<Hop> out) {
        for (Way w : WAYS) {
            int action = v.action(w.action());
            for (Member s : v.holding(action, user.arn())) {
                if (!s.acts() || s.arn().equals(user.arn())) {
                    continue;
                }
                Optional<Permissions.Grant> g = v.access(s).on(action, user.arn());
                g.ifPresent(grant -> out.accept(new Hop(s.arn(), user.arn(), Method.CREDENTIALS, Evidence.of(grant,
                        w.detail() + " `" + user.arn() + "` (`" + w.action() + "`)"), Optional.empty(), w.potential())));
            }
        }
    }
}
