package io.iamguardrail.rules;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;

/** An access key set back to Active: a key someone (or the guardrail) deactivated works again. */
final class AccessKeyReactivatedRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("ACCESS_KEY_REACTIVATED", Severity.HIGH, "change",
            "Access key re-activated",
            "Keys are deactivated when they leak or when the guardrail contains a backdoor key; setting one Active"
                    + " again revives credentials that were judged unsafe, and reverses the containment silently.",
            "Confirm with the key's owner why it was deactivated; if the re-activation is not reviewed, deactivate it"
                    + " again (`aws iam update-access-key --status Inactive`) and rotate it.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        if (!EventKind.UpdateAccessKey.is(event.eventName())
                || !event.request("status").map("Active"::equalsIgnoreCase).orElse(false)) {
            return List.of();
        }
        // Without `userName` the key is the caller's own (IAM's rule for UpdateAccessKey).
        String user = event.request("userName").or(() -> event.actor().selfUserName()).orElse("?");
        return List.of(finding(event, "requestParameters/status", "`" + event.actor().display()
                + "` set access key `" + event.request("accessKeyId").orElse("?") + "` of user `" + user
                + "` back to Active: a deactivated key works again"));
    }
}
