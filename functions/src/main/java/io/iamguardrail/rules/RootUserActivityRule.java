package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;

/** The root user changed IAM: root should be used only for the few tasks that need it. */
final class RootUserActivityRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("ROOT_USER_ACTIVITY", Severity.HIGH, "change",
            "Root user changed IAM",
            "Day-to-day IAM changes by the root user bypass every guardrail that policies and boundaries provide.",
            "Confirm the change with the account owner; do IAM work through roles, and keep root for the tasks that"
                    + " require it.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        if (!event.actor().isRoot()) {
            return List.of();
        }
        return List.of(finding(event, "userIdentity/type", "the root user called `" + event.eventName() + "`"));
    }
}
