package io.iamguardrail.rules;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;
import java.util.Optional;

/** A role was put on an instance profile: whoever can launch an instance with the profile acts as the role. */
final class InstanceProfileRoleAddedRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("INSTANCE_PROFILE_ROLE_ADDED", Severity.HIGH, "change",
            "Role added to an instance profile",
            "Anyone who may launch or modify an EC2 instance with the profile (ec2:RunInstances or"
                    + " ec2:AssociateIamInstanceProfile, with iam:PassRole) gets the role's credentials from the"
                    + " instance metadata. A privileged role on a profile turns EC2 access into that privilege.",
            "Use a role scoped to what the instances need; if the change is unexpected, remove the role"
                    + " (`aws iam remove-role-from-instance-profile`).",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        if (!EventKind.AddRoleToInstanceProfile.is(event.eventName())) {
            return List.of();
        }
        Optional<String> privileged = facts.watch().privilegedRole();
        String message = "`" + event.actor().display() + "` added role `" + event.request("roleName").orElse("?")
                + "` to instance profile `" + event.request("instanceProfileName").orElse("?") + "`";
        if (privileged.isPresent()) {
            return List.of(finding(event, "requestParameters/roleName", message + ": " + privileged.get()));
        }
        return List.of(withSeverity(finding(event, "requestParameters/roleName", message), Severity.LOW,
                "the role is not privileged"));
    }
}
