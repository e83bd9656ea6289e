package io.iamguardrail.pipeline;

import io.iamguardrail.config.GuardrailConfig;

/**
 * What the evaluator's handler and {@code replay} run: one account's {@link GuardrailService}, or a hub's
 * {@link AccountRouter} that hands each member account's events to that account's own service.
 */
public interface Guardrail {

    GuardrailService.Outcome process(byte[] input, Invocation invocation);

    GuardrailConfig config();
}
