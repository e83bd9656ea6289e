package io.iamguardrail.rules;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;
import java.util.Optional;

/** A policy or group membership that denied something was removed: what it denied is allowed again. */
final class DenyRemovedRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("DENY_REMOVED", Severity.HIGH, "change",
            "Deny removed",
            "A Deny wins over every Allow, so teams and responders use Deny policies to fence off what a principal must"
                    + " never do. Detaching or deleting one, or leaving the group that holds it, adds access without"
                    + " granting anything, and is how an attacker quietly reverses a containment.",
            "Put the policy or membership back unless the removal was reviewed, then find out why it was removed.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        Optional<String> deny = facts.watch().removedDeny();
        if (deny.isEmpty()) {
            return List.of();
        }
        String who = "`" + event.actor().display() + "`";
        String name = event.eventName();
        if (EventKind.RemoveUserFromGroup.is(name)) {
            return List.of(finding(event, "requestParameters/groupName", who + " removed user `"
                    + event.request("userName").orElse("?") + "` from group `" + event.request("groupName").orElse("?")
                    + "`: " + deny.get() + ", which no longer applies to the user"));
        }
        if (EventKind.CreatePolicyVersion.is(name) || EventKind.SetDefaultPolicyVersion.is(name)) {
            return List.of(finding(event, "requestParameters/policyArn", who + " changed the default version of `"
                    + event.request("policyArn").orElse("?") + "`: " + deny.get() + ", so it no longer applies"));
        }
        String from = name.contains("Role") ? "role `" + event.request("roleName").orElse("?") + "`"
                : name.contains("Group") ? "group `" + event.request("groupName").orElse("?") + "`"
                : "user `" + event.request("userName").orElse("?") + "`";
        String what = name.startsWith("Detach") ? "detached a policy from " : "deleted an inline policy of ";
        return List.of(finding(event, "requestParameters/policyArn", who + " " + what + from + ": " + deny.get()
                + ", which no longer applies"));
    }
}
