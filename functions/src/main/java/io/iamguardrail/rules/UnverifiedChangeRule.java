package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;

/**
 * A change whose content could not be read (offline, or the live lookup failed): it is reported for review, never
 * taken as compliant. The evaluator raises it; this class carries its metadata.
 */
public final class UnverifiedChangeRule implements EventRule {

    public static final RuleMetadata META = new RuleMetadata("UNVERIFIED_CHANGE", Severity.MEDIUM, "change",
            "Change that could not be verified",
            "The event carries no document for this change and the live state could not be read, so it may grant"
                    + " anything; a failed lookup is never taken as compliant.",
            "Review the change in the IAM console; run the guardrail with IAM read access (or `replay --live`).",
            List.of());

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        return List.of();
    }

    /** The finding for a change that could not be read, with the reason. */
    public Finding unverified(CloudTrailEvent event, String what, String why) {
        return finding(event, "requestParameters", what + " could not be evaluated: " + why);
    }
}
