package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message of the alert topic, read and checked once by the {@link Dispatcher} before any {@link Notifier} sees
 * it: either an alert or the scheduled audit's weekly summary, which shares the topic.
 */
public sealed interface Notice permits Notice.Alert, Notice.AuditSummary {

    /** The SNS or SQS message id: a failed delivery fails exactly the messages it carried. */
    String id();

    /** An alert (schema {@value AlertJson#SCHEMA}). */
    record Alert(String id, AlertDocument document) implements Notice {
    }

    /** The audit summary (schema {@value AuditSummarySlack#SCHEMA}), posted on its own, never grouped. */
    record AuditSummary(String id, JsonNode summary) implements Notice {
    }
}
