package io.iamguardrail.remediation;

import java.util.List;
import java.util.Optional;

/**
 * What the planner chose for one event: the actions, the findings (rule ids) that called for them, and when nothing
 * is to be done, why ({@code skipped} true when a safety rail or a missing setting stopped an otherwise due action).
 */
public record Plan(List<RemediationAction> actions, List<String> ruleIds, Optional<String> reason, boolean skipped,
                   Optional<String> principalArn) {
    public Plan {
        actions = List.copyOf(actions);
        ruleIds = List.copyOf(ruleIds);
    }

    static Plan none(String reason) {
        return new Plan(List.of(), List.of(), Optional.of(reason), false, Optional.empty());
    }

    static Plan skipped(List<String> ruleIds, String reason) {
        return new Plan(List.of(), ruleIds, Optional.of(reason), true, Optional.empty());
    }
}
