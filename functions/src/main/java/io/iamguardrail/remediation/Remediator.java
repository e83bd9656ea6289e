package io.iamguardrail.remediation;

import io.iamguardrail.pipeline.Decision;

/**
 * The remediation step of the pipeline: what was (or would be) done about a decision that alerts. Implementations:
 * {@link PlanOnly} (ALERT mode, and the default) and {@link Executor} (REMEDIATE mode, live).
 */
public interface Remediator {

    RemediationReport remediate(Decision decision);

    /** Called for every evaluated decision (clean ones included): the executor records last-known-good state. */
    default void observe(Decision decision) {
    }
}
