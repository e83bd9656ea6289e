package io.iamguardrail.remediation;

import io.iamguardrail.decision.Decision;

/**
 * The remediation step of the pipeline: what was (or would be) done about a decision that alerts. Implementations:
 * {@link PlanOnly} (ALERT mode, and the default) and {@link Executor} (REMEDIATE mode, live).
 */
public interface Remediator {

    /**
     * Where a remediation writes down what it is about to do, before it acts: the ledger keeps it with the event, so
     * that an attempt that dies while acting is seen by its retry, and an alert always names the backup.
     */
    interface Journal {
        void acting(RemediationReport planned);

        Journal NONE = planned -> {
        };
    }

    RemediationReport remediate(Decision decision, Journal journal);

    default RemediationReport remediate(Decision decision) {
        return remediate(decision, Journal.NONE);
    }

    /** Called for every evaluated decision (clean ones included): the executor records last-known-good state. */
    default void observe(Decision decision) {
    }
}
