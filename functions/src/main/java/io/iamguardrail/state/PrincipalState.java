package io.iamguardrail.state;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A principal as IAM has it now. Documents are plain JSON (already URL-decoded by the adapter).
 *
 * @param groups the groups of a user (empty for roles and groups)
 */
public record PrincipalState(PrincipalRef ref, String arn, String path, Optional<String> trustPolicy,
                             Map<String, String> inlinePolicies, List<String> attachedPolicyArns,
                             Optional<String> boundaryArn, List<String> groups) {
    public PrincipalState {
        inlinePolicies = Map.copyOf(inlinePolicies);
        attachedPolicyArns = List.copyOf(attachedPolicyArns);
        groups = List.copyOf(groups);
    }

    public boolean isServiceLinked() {
        return path.startsWith("/aws-service-role/");
    }
}
