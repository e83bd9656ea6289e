package io.iamguardrail.pipeline;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.event.EventDecoder;

import java.util.List;

/**
 * What the evaluator's handler and {@code replay} run: one account's {@link GuardrailService}, or a hub's
 * {@link AccountRouter} that hands each member account's events to that account's own service.
 */
public interface Guardrail {

    default GuardrailService.Outcome process(byte[] input, Invocation invocation) {
        return process(EventDecoder.decode(input), invocation);
    }

    /** An event decoded once: a hub's router hands on what it decoded to route it. */
    GuardrailService.Outcome process(EventDecoder.Decoded decoded, Invocation invocation);

    GuardrailConfig config();

    /**
     * Starts a batch of {@code events} (one delivery from the evaluator's queue): IAM is read afresh once, the
     * principals the events change together where that costs fewer requests, and each principal, policy and version
     * read for one event of the batch serves the others, until {@link #endBatch()}. Outside a batch every event reads
     * afresh.
     */
    default void beginBatch(List<EventDecoder.Decoded> events, Invocation invocation) {
    }

    /**
     * Ends the batch: publishes the alerts held for it (one per principal) and says which events' alerts did not go
     * out; nothing read for it is used again.
     */
    default BatchEnd endBatch() {
        return BatchEnd.NONE;
    }
}
