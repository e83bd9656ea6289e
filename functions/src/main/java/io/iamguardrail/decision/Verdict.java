package io.iamguardrail.decision;

/** What the guardrail concluded about one event. */
public enum Verdict {
    /** Findings at or above the alert threshold: an alert is published. */
    ALERT,
    /** Evaluated; nothing at or above the threshold, or a change that only reduces access (recorded). */
    NO_ALERT,
    /** Not evaluated, on purpose: a failed call, the guardrail's own change, a duplicate, an event not handled. */
    SKIPPED,
    /** Could not be processed (a malformed event): goes to the dead-letter path, never into silence. */
    ERROR
}
