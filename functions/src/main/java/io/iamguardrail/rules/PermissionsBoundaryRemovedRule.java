package io.iamguardrail.rules;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;

/** A permissions boundary was removed: everything the principal's policies allow becomes effective. */
final class PermissionsBoundaryRemovedRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("PERMISSIONS_BOUNDARY_REMOVED", Severity.HIGH, "change",
            "Permissions boundary removed",
            "A boundary caps what a principal can do whatever its policies say; removing it releases all of them.",
            "Put the boundary back (`aws iam put-role-permissions-boundary` / `put-user-permissions-boundary`) unless"
                    + " the removal was reviewed.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        String name = event.eventName();
        if (EventKind.DeleteRolePermissionsBoundary.is(name)) {
            return List.of(finding(event, "requestParameters/roleName", "`" + event.actor().display()
                    + "` removed the permissions boundary of role `" + event.request("roleName").orElse("?") + "`"));
        }
        if (EventKind.DeleteUserPermissionsBoundary.is(name)) {
            return List.of(finding(event, "requestParameters/userName", "`" + event.actor().display()
                    + "` removed the permissions boundary of user `" + event.request("userName").orElse("?") + "`"));
        }
        return List.of();
    }
}
