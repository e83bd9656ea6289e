package io.iamguardrail.rules;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;
import java.util.Optional;

/** Create/UpdateLoginProfile for another user: setting someone else's console password is a takeover. */
final class LoginProfileForOtherUserRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("LOGIN_PROFILE_FOR_OTHER_USER", Severity.HIGH, "change",
            "Console password set for another user",
            "Whoever sets another user's console password can sign in as that user.",
            "Confirm with the user; if unexpected, delete the login profile (`aws iam delete-login-profile`) and"
                    + " review the caller's other actions.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        String name = event.eventName();
        if (!EventKind.CreateLoginProfile.is(name) && !EventKind.UpdateLoginProfile.is(name)) {
            return List.of();
        }
        Optional<String> target = event.request("userName");
        if (target.isEmpty() || event.actor().selfUserName().map(self -> self.equalsIgnoreCase(target.get())).orElse(false)) {
            return List.of();
        }
        return List.of(finding(event, "requestParameters/userName", "`" + event.actor().display()
                + "` set the console password of another user, `" + target.get() + "` (`" + name + "`)"));
    }
}
