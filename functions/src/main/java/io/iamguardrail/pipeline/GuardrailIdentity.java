package io.iamguardrail.pipeline;

import io.iamguardrail.event.Actor;
import io.iamguardrail.remediation.OwnChanges;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who the guardrail is in CloudTrail: its roles, and the writes it recorded just before making them. An event of a
 * guardrail role is skipped (the loop guard) only when the evaluator's role made it and it matches such a record.
 *
 * @param evaluatorRoleArn the role remediation acts with ({@code GUARDRAIL_ROLE_ARN})
 * @param roleArns         every role of the stack ({@code GUARDRAIL_ROLE_ARNS}), the evaluator's included
 */
public record GuardrailIdentity(Optional<String> evaluatorRoleArn, Set<String> roleArns, OwnChanges own) {

    public GuardrailIdentity {
        Set<String> all = new LinkedHashSet<>(roleArns);
        evaluatorRoleArn.ifPresent(all::add);
        roleArns = Set.copyOf(all);
    }

    public static GuardrailIdentity none() {
        return new GuardrailIdentity(Optional.empty(), Set.of(), OwnChanges.NONE);
    }

    /** From the function's environment: {@code GUARDRAIL_ROLE_ARN} and the comma list {@code GUARDRAIL_ROLE_ARNS}. */
    public static GuardrailIdentity of(Optional<String> evaluatorRoleArn, Optional<String> roleArnList, OwnChanges own) {
        Set<String> roles = new LinkedHashSet<>();
        roleArnList.ifPresent(list -> {
            for (String arn : list.split(",")) {
                if (!arn.isBlank()) {
                    roles.add(arn.trim());
                }
            }
        });
        return new GuardrailIdentity(evaluatorRoleArn.filter(a -> !a.isBlank()), roles, own);
    }

    /** Whether the actor is one of the guardrail's roles (an assumed-role session of it, or the role itself). */
    boolean isGuardrail(Actor actor) {
        return actor.sessionIssuerArn().filter(roleArns::contains).isPresent()
                || actor.arn().filter(roleArns::contains).isPresent();
    }

    boolean isEvaluator(Actor actor) {
        return evaluatorRoleArn.isPresent() && (actor.sessionIssuerArn().equals(evaluatorRoleArn)
                || actor.arn().equals(evaluatorRoleArn));
    }
}
