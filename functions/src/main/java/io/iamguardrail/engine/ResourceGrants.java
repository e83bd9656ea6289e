package io.iamguardrail.engine;

import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.Principal;
import io.iamguardrail.policy.PrincipalSpec;
import io.iamguardrail.policy.Statement;

import java.util.List;
import java.util.Optional;

/**
 * What a resource policy grants beyond its own account: the statements the permission rules judge. A grant to
 * the own account (its root, {@code ${AWS::AccountId}}) only delegates to that account's IAM policies, which are
 * judged where they are written; KMS's default key policy ({@code kms:*} to the account root) is such a grant. A
 * grant to AWS services only is judged by RESOURCE_SERVICE_CONFUSED_DEPUTY (whether it names its source), not by
 * what the service may do: delivering to a queue or decrypting for a topic is what the grant is for.
 */
public final class ResourceGrants {

    private ResourceGrants() {
    }

    /** The policy with only its statements that name someone other than the own account's root, or empty. */
    public static Optional<SourcedPolicy> beyondOwnAccount(SourcedPolicy policy, Optional<String> ownAccount) {
        if (policy.document().isEmpty()) {
            return Optional.empty();
        }
        PolicyDocument doc = policy.document().get();
        List<Statement> kept = doc.statements().stream()
                .filter(s -> !onlyOwnAccountRoot(s, ownAccount) && !onlyServices(s)).toList();
        if (kept.isEmpty()) {
            return Optional.empty();
        }
        PolicyDocument filtered = new PolicyDocument(doc.version(), doc.id(), kept, doc.at());
        return Optional.of(new SourcedPolicy(policy.source(), policy.name(), policy.origin(),
                new ParseResult(Optional.of(filtered), policy.kind(), policy.parsed().diagnostics())));
    }

    private static boolean onlyServices(Statement s) {
        return s.principals().isPresent() && s.principals().get() instanceof PrincipalSpec.Listed listed
                && !listed.principals().isEmpty()
                && listed.principals().stream().allMatch(p -> p.type() == Principal.Type.SERVICE);
    }

    /** Whether every principal the statement names is the own account's root. */
    public static boolean onlyOwnAccountRoot(Statement s, Optional<String> own) {
        if (s.principals().isEmpty() || !(s.principals().get() instanceof PrincipalSpec.Listed listed)
                || listed.principals().isEmpty()) {
            return false;
        }
        for (Principal p : listed.principals()) {
            Optional<String> account = p.account();
            boolean ours = p.isAccountRoot() && account.isPresent()
                    && (account.get().equals("${AWS::AccountId}") || own.map(account.get()::equals).orElse(false));
            if (!ours) {
                return false;
            }
        }
        return true;
    }
}
