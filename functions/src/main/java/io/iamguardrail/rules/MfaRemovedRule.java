package io.iamguardrail.rules;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;
import java.util.Optional;

/** An MFA device was deactivated or deleted: the user signs in, or passes MFA conditions, with less. */
final class MfaRemovedRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("MFA_REMOVED", Severity.HIGH, "change",
            "MFA device removed",
            "Without its MFA device a user's password alone opens the console, and policies that require"
                    + " aws:MultiFactorAuthPresent stop protecting anything once an attacker registers a device of"
                    + " their own. Removing another user's MFA is a classic account-takeover step.",
            "Confirm with the user; if unexpected, have them register a new device, reset their password and review"
                    + " the caller's other actions.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_disable.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        String who = "`" + event.actor().display() + "`";
        if (EventKind.DeactivateMFADevice.is(event.eventName())) {
            Optional<String> user = event.request("userName");
            Finding f = finding(event, "requestParameters/userName", who + " deactivated MFA device `"
                    + event.request("serialNumber").orElse("?") + "` of user `"
                    + user.or(() -> event.actor().selfUserName()).orElse("?") + "`");
            boolean own = user.isEmpty() || event.actor().selfUserName().map(self -> self.equalsIgnoreCase(user.get()))
                    .orElse(false);
            return List.of(own ? withSeverity(f, Severity.MEDIUM, "the caller's own device") : f);
        }
        if (EventKind.DeleteVirtualMFADevice.is(event.eventName())) {
            // IAM deletes only a device no user has: the deactivation before it was the change that removed MFA.
            return List.of(withSeverity(finding(event, "requestParameters/serialNumber", who
                    + " deleted virtual MFA device `" + event.request("serialNumber").orElse("?") + "`"),
                    Severity.MEDIUM, "a device must be deactivated before it is deleted; the deactivation is reported"
                            + " on its own"));
        }
        return List.of();
    }
}
