package io.iamguardrail.decision;

import io.iamguardrail.engine.Finding;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;
import java.util.Optional;

/**
 * The guardrail's answer for one event, with its reasons.
 *
 * @param target    the principal or policy the change is about, when there is one
 * @param newAccess what the change allows that the previous version did not (the reviewer's diff)
 * @param notes     what the reader must know about how the verdict was reached (live state not read, ...)
 */
public record Decision(String eventId, String eventName, Verdict verdict, String reason, Optional<String> target,
                       List<Finding> findings, List<String> newAccess, List<String> notes,
                       Optional<CloudTrailEvent> event) {
    public Decision {
        findings = List.copyOf(findings);
        newAccess = List.copyOf(newAccess);
        notes = List.copyOf(notes);
    }

    public static Decision skipped(CloudTrailEvent e, String reason) {
        return new Decision(e.eventId(), e.eventName(), Verdict.SKIPPED, reason, Optional.empty(), List.of(), List.of(),
                List.of(), Optional.of(e));
    }

    public static Decision error(String eventId, String eventName, String reason) {
        return new Decision(eventId, eventName, Verdict.ERROR, reason, Optional.empty(), List.of(), List.of(), List.of(),
                Optional.empty());
    }
}
