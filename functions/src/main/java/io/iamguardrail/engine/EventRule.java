package io.iamguardrail.engine;

import io.iamguardrail.config.Severity;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.json.SourceLocation;

import java.util.List;
import java.util.Optional;

/** A rule about the change itself (who did what, from the CloudTrail record), rather than about a policy. */
public interface EventRule {

    RuleMetadata metadata();

    /**
     * What the evaluator learnt about the change that a rule needs beyond the event.
     *
     * @param unrecordedGuardrailChange the change was made with a guardrail role, and the guardrail did not record it
     * @param watch                     what was read about a reversal or takeover change
     */
    record Facts(Optional<String> privilegedGroupBecause, boolean unrecordedGuardrailChange, WatchFacts watch) {
        public Facts(Optional<String> privilegedGroupBecause, boolean unrecordedGuardrailChange) {
            this(privilegedGroupBecause, unrecordedGuardrailChange, WatchFacts.NONE);
        }

        public static Facts none() {
            return new Facts(Optional.empty(), false);
        }
    }

    List<Finding> check(CloudTrailEvent event, Facts facts);

    /** A finding of this rule at a field of the event, e.g. {@code /detail/requestParameters/userName}. */
    default Finding finding(CloudTrailEvent event, String field, String message) {
        RuleMetadata m = metadata();
        return new Finding(m.id(), m.id() + "|" + event.eventId(), m.severity(), m.title(), message, m.remediation(),
                "event " + event.eventId(), Optional.empty(),
                new SourceLocation("/detail/" + field, 0, 0), Optional.empty(), List.of());
    }

    /** The same finding at another severity than the rule's default, and why (shown beside the message). */
    default Finding withSeverity(Finding f, Severity severity, String why) {
        return new Finding(f.ruleId(), f.key(), severity, f.title(), f.message(), f.remediation(), f.source(),
                f.principal(), f.location(), Optional.of(why), f.related());
    }
}
