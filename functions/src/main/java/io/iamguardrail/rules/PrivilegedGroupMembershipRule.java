package io.iamguardrail.rules;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;

/** A user was added to a group whose effective permissions are privileged. */
final class PrivilegedGroupMembershipRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("PRIVILEGED_GROUP_MEMBERSHIP", Severity.HIGH, "change",
            "User added to a privileged group",
            "Group membership is a quiet way to grant administrator-level access without touching any policy.",
            "Confirm the membership; if unexpected, remove the user (`aws iam remove-user-from-group`).",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        if (!EventKind.AddUserToGroup.is(event.eventName()) || facts.privilegedGroupBecause().isEmpty()) {
            return List.of();
        }
        return List.of(finding(event, "requestParameters/groupName", "`" + event.actor().display() + "` added user `"
                + event.request("userName").orElse("?") + "` to group `" + event.request("groupName").orElse("?")
                + "`, and " + facts.privilegedGroupBecause().get().replaceFirst("^it ", "the group ")));
    }
}
