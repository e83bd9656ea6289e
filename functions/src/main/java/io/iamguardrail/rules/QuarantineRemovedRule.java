package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;
import java.util.Optional;

/** A quarantine (the guardrail's, or AWS's for an exposed key) was lifted. */
final class QuarantineRemovedRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("QUARANTINE_REMOVED", Severity.CRITICAL, "change",
            "Quarantine lifted",
            "A quarantine is the containment of a principal judged compromised or dangerous: the guardrail's deny-all"
                    + " policy, or AWS's AWSCompromisedKeyQuarantine policy on a user whose key was exposed. Lifting"
                    + " it hands every permission back, and an attacker lifts it first.",
            "Attach the quarantine policy again unless the lifting was reviewed (`restore` prints the command), then"
                    + " find out who lifted it and with which credentials.",
            List.of("https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCompromisedKeyQuarantineV3.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        Optional<String> quarantine = facts.watch().removedQuarantine();
        if (quarantine.isEmpty()) {
            return List.of();
        }
        String field = event.eventName().startsWith("Untag") ? "requestParameters/tagKeys"
                : event.eventName().startsWith("Detach") ? "requestParameters/policyArn" : "requestParameters/policyName";
        String consequence = event.eventName().startsWith("Untag")
                ? "the record of the quarantine is gone (removing the deny-all policy usually comes next)"
                : "the quarantined principal has its permissions back";
        return List.of(finding(event, field, "`" + event.actor().display() + "` removed " + quarantine.get()
                + " with `" + event.eventName() + "`: " + consequence));
    }
}
