package io.iamguardrail.engine;

import io.iamguardrail.policy.PolicyDocument;

import java.util.Optional;

/**
 * A principal as the principal rules see it: the trust policy, the effective permissions, and why the principal
 * counts as privileged (administrator, an escalation method, unscoped permissions management), if it does.
 */
public record PrincipalView(Optional<SourcedPolicy> trustPolicy, Optional<PolicyDocument> trust,
                            Permissions permissions, Optional<String> privilegedBecause) {
}
