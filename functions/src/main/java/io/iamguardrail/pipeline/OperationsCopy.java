package io.iamguardrail.pipeline;

import io.iamguardrail.rules.GuardrailTamperedRule;

/**
 * Publishes every alert to the alert topic, and a tamper alert to the operations topic as well: whoever tampered
 * with the guardrail may have silenced the alert topic (its key disabled, its subscriptions removed), and the
 * operations topic has a key of its own. The operations copy goes first, so a dead alert topic cannot stop it; a
 * failure of either fails the delivery (Lambda retries: a duplicate beats a lost tamper alert).
 */
public final class OperationsCopy implements AlertPublisher {

    private final AlertPublisher alerts;
    private final AlertPublisher operations;

    public OperationsCopy(AlertPublisher alerts, AlertPublisher operations) {
        this.alerts = alerts;
        this.operations = operations;
    }

    @Override
    public String publish(Alert alert) {
        if (!isTamper(alert)) {
            return alerts.publish(alert);
        }
        RuntimeException opsFailed = null;
        try {
            operations.publish(alert);
        } catch (RuntimeException e) {
            opsFailed = e;
        }
        String id;
        try {
            id = alerts.publish(alert);
        } catch (RuntimeException e) {
            if (opsFailed != null) {
                e.addSuppressed(opsFailed);
            }
            throw e;
        }
        if (opsFailed != null) {
            throw new IllegalStateException("tamper alert published to the alert topic (" + id + ") but not to the"
                    + " operations topic: " + opsFailed.getMessage(), opsFailed);
        }
        return id;
    }

    static boolean isTamper(Alert alert) {
        return alert.filterAttributes().names(GuardrailTamperedRule.META.id());
    }
}
