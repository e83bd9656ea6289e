package io.iamguardrail.remediation;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Says what REMEDIATE mode would do, and does nothing: ALERT mode, offline replays, and REMEDIATE without the means
 * to act (then {@code why} says what is missing).
 */
public final class PlanOnly implements Remediator {

    private final Planner planner;
    private final Optional<String> why;

    public PlanOnly(Planner planner) {
        this(planner, Optional.empty());
    }

    public PlanOnly(Planner planner, Optional<String> why) {
        this.planner = planner;
        this.why = why;
    }

    @Override
    public RemediationReport remediate(Decision decision, Journal journal) {
        String mode = planner.config().mode().name();
        Plan plan = planner.plan(decision);
        if (plan.actions().isEmpty()) {
            String reason = plan.reason().orElse("nothing to remediate");
            return plan.skipped() ? RemediationReport.skipped(mode, reason) : RemediationReport.none(mode, reason);
        }
        List<RemediationReport.ActionReport> actions = new ArrayList<>();
        List<String> undo = new ArrayList<>();
        for (RemediationAction a : plan.actions()) {
            actions.add(new RemediationReport.ActionReport(a.kind(), a.target(), RemediationReport.Status.PLANNED,
                    "would " + a.describe() + " (for " + String.join(", ", plan.ruleIds()) + ")"));
            undo.addAll(a.undoCommands());
        }
        boolean alertMode = planner.config().mode() == GuardrailConfig.Mode.ALERT;
        String prefix = alertMode ? "ALERT mode: REMEDIATE mode would "
                : "not acting (" + why.orElse("no means to act") + "): would ";
        String summary = prefix + String.join("; ", plan.actions().stream().map(RemediationAction::describe).toList());
        return new RemediationReport(mode, alertMode ? RemediationReport.Status.PLANNED : RemediationReport.Status.SKIPPED,
                summary, actions, Optional.empty(), Optional.empty(), undo,
                alertMode ? Optional.empty() : Optional.of(why.orElse("no means to act")));
    }
}
