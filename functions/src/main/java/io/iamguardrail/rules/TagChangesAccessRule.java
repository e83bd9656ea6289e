package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;

/** A principal's tag changed that its own policies decide on: attribute-based access changed without a policy edit. */
final class TagChangesAccessRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("TAG_CHANGES_ACCESS", Severity.HIGH, "change",
            "Tag change that changes access",
            "With attribute-based access control, conditions on aws:PrincipalTag, aws:ResourceTag or iam:ResourceTag"
                    + " decide what a principal may do or who may use it; adding, changing or removing such a tag"
                    + " grants or lifts access as surely as a policy edit, and no policy event shows it.",
            "Check that the new tags are what the principal's owner intends; revert the tag (`aws iam tag-role`,"
                    + " `untag-role`, `tag-user`, `untag-user`) and restrict iam:TagRole/iam:TagUser with aws:TagKeys"
                    + " conditions so only administrators can set access-deciding tags.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/introduction_attribute-based-access-control.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        List<String> conditions = facts.watch().tagConditions();
        String name = event.eventName();
        if (conditions.isEmpty() || !(name.startsWith("Tag") || name.startsWith("Untag"))) {
            return List.of();
        }
        String principal = name.endsWith("Role") ? "role `" + event.request("roleName").orElse("?") + "`"
                : "user `" + event.request("userName").orElse("?") + "`";
        String shown = String.join("; ", conditions.subList(0, Math.min(3, conditions.size())))
                + (conditions.size() > 3 ? " and " + (conditions.size() - 3) + " more" : "");
        return List.of(finding(event, name.startsWith("Untag") ? "requestParameters/tagKeys" : "requestParameters/tags",
                "`" + event.actor().display() + "` " + (name.startsWith("Untag") ? "removed" : "set") + " tags of "
                        + principal + " that its policies decide on: " + shown));
    }
}
