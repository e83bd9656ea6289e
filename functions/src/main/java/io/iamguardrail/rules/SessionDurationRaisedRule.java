package io.iamguardrail.rules;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;
import java.util.Optional;

/** A role's maximum session duration raised above IAM's default hour: stolen sessions stay valid longer. */
final class SessionDurationRaisedRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("SESSION_DURATION_RAISED", Severity.MEDIUM, "change",
            "Role session duration raised",
            "Session credentials cannot be revoked one by one; their lifetime is the window in which a stolen session"
                    + " works. Raising a role's maximum from the default hour up to 12 hours lets an attacker keep a"
                    + " session through a working day, and is a quiet persistence step.",
            "Keep the maximum at one hour unless long jobs need more; revert it (`aws iam update-role"
                    + " --max-session-duration 3600`) if nobody asked for it.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-settings.html"));

    /** IAM's default and the minimum, in seconds. */
    static final long DEFAULT_SECONDS = 3600;

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        if (!EventKind.UpdateRole.is(event.eventName())) {
            return List.of();
        }
        Optional<Long> seconds = event.request("maxSessionDuration").flatMap(SessionDurationRaisedRule::seconds);
        if (seconds.isEmpty() || seconds.get() <= DEFAULT_SECONDS) {
            return List.of();
        }
        return List.of(finding(event, "requestParameters/maxSessionDuration", "`" + event.actor().display()
                + "` raised the maximum session duration of role `" + event.request("roleName").orElse("?") + "` to "
                + seconds.get() + " s (" + seconds.get() / 3600.0 + " h; IAM's default is 1 h)"));
    }

    private static Optional<Long> seconds(String text) {
        try {
            return Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException notANumber) {
            // Not a number IAM would accept: the call failed and is never delivered; nothing to judge.
            return Optional.empty();
        }
    }
}
