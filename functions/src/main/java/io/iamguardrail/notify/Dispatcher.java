package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The notifier function's use case: messages in (one SNS record, or a batch from the queue), each checked to be a
 * notification of the alert topic ({@link SnsEnvelope}) and read once, then handed to every configured
 * {@link Notifier}. A message that cannot be read, or that any notifier could not deliver, is reported as failed, so
 * the caller fails it back to SNS or SQS; its retry may post it again where it did get through (a duplicate beats a
 * lost alert).
 */
public final class Dispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String alertTopicArn;
    private final List<Notifier> notifiers;

    /** @param alertTopicArn the only topic whose notifications are delivered (see {@link SnsEnvelope}) */
    public Dispatcher(String alertTopicArn, List<Notifier> notifiers) {
        if (alertTopicArn == null || alertTopicArn.isBlank()) {
            throw new IllegalArgumentException("expected the ARN of the alert topic whose notifications are posted but none is set");
        }
        if (notifiers.isEmpty()) {
            throw new IllegalArgumentException("expected at least one notifier to deliver alerts to but none is configured");
        }
        this.alertTopicArn = alertTopicArn.trim();
        this.notifiers = List.copyOf(notifiers);
    }

    /** One message as it arrived: its id (for partial batch failures) and its body, an SNS notification. */
    public record Received(String id, String body) {
    }

    /** {@code Slack}, or the names of all notifiers ({@code Slack, Teams}), for the function's error message. */
    public String names() {
        return notifiers.stream().map(Notifier::name).collect(Collectors.joining(", "));
    }

    public Notifier.Result deliver(List<Received> messages) {
        List<Notice> notices = new ArrayList<>();
        Set<String> failed = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        for (Received m : messages) {
            try {
                notices.add(notice(m.id(), SnsEnvelope.alertFrom(m.body(), alertTopicArn)));
            } catch (IllegalArgumentException e) {
                failed.add(m.id());
                errors.add("message " + m.id() + ": " + e.getMessage());
            }
        }
        int posted = 0;
        int retries = 0;
        if (!notices.isEmpty()) {
            for (Notifier n : notifiers) {
                Notifier.Result r = n.deliver(notices);
                posted += r.posted();
                retries += r.retries();
                failed.addAll(r.failedIds());
                // One notifier: its errors as they are; several: each says whose it is.
                r.errors().forEach(e -> errors.add(notifiers.size() == 1 ? e : n.name() + ": " + e));
            }
        }
        return new Notifier.Result(posted, new ArrayList<>(failed), errors, retries);
    }

    /** The alert, or the audit summary that shares the topic; throws saying why a message is neither. */
    private static Notice notice(String id, String json) {
        Optional<JsonNode> audit = auditSummary(json);
        return audit.isPresent() ? new Notice.AuditSummary(id, audit.get())
                : new Notice.Alert(id, AlertDocument.parse(json));
    }

    private static Optional<JsonNode> auditSummary(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return node != null && AuditSummarySlack.SCHEMA.equals(node.path("schema").asText()) ? Optional.of(node)
                    : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty(); // AlertDocument.parse, next, says where it is not JSON
        }
    }
}
