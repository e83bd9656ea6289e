package io.iamguardrail.rules;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;
import java.util.Optional;

/** CreateAccessKey for a user other than the caller: the classic persistence backdoor. */
final class AccessKeyForOtherUserRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("ACCESS_KEY_FOR_OTHER_USER", Severity.HIGH, "change",
            "Access key created for another user",
            "Creating long-term keys for someone else gives the caller a second identity that survives its own"
                    + " revocation; attackers use it for persistence.",
            "Confirm with the user; if unexpected, deactivate the key (`aws iam update-access-key --status Inactive`)"
                    + " and review the caller's other actions.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        if (!EventKind.CreateAccessKey.is(event.eventName())) {
            return List.of();
        }
        Optional<String> target = event.request("userName");
        // IAM user names are case-insensitive: `BOB` is bob.
        if (target.isEmpty() || event.actor().selfUserName().map(self -> self.equalsIgnoreCase(target.get())).orElse(false)) {
            return List.of();
        }
        return List.of(finding(event, "requestParameters/userName", "`" + event.actor().display()
                + "` created an access key for another user, `" + target.get() + "`"));
    }
}
