package io.iamguardrail.rules;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;

/** The root user created an access key: root keys cannot be limited by any policy. */
final class RootAccessKeyCreatedRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("ROOT_ACCESS_KEY_CREATED", Severity.CRITICAL, "change",
            "Root access key created",
            "Root access keys have unrestricted access that no policy can limit; AWS recommends never having them.",
            "Delete the root access key (Security credentials page of the root user) and use IAM roles instead.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        if (!EventKind.CreateAccessKey.is(event.eventName()) || !event.actor().isRoot()
                || event.request("userName").isPresent()) {
            return List.of();
        }
        return List.of(finding(event, "userIdentity/type", "the root user created an access key for itself"));
    }
}
