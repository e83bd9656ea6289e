package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The notifier use case: alerts in (one SNS record, or a batch from the queue), Slack messages out, grouped against
 * bursts (see {@link BurstPlan}). It never drops an alert silently: an alert that cannot be read or posted is reported
 * as failed, so the caller fails it back to SNS or SQS, whose retries and dead-letter queue keep it.
 */
public final class Notifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookSecret secret;
    private final WebhookClient client;
    private final int burstThreshold;
    private final String alertTopicArn;

    /** @param alertTopicArn the only topic whose notifications are posted (see {@link SnsEnvelope}) */
    public Notifier(WebhookSecret secret, WebhookClient client, int burstThreshold, String alertTopicArn) {
        if (burstThreshold < 1) {
            throw new IllegalArgumentException("expected a burst threshold of at least 1 but found " + burstThreshold);
        }
        if (alertTopicArn == null || alertTopicArn.isBlank()) {
            throw new IllegalArgumentException("expected the ARN of the alert topic whose notifications are posted but none is set");
        }
        this.secret = secret;
        this.client = client;
        this.burstThreshold = burstThreshold;
        this.alertTopicArn = alertTopicArn.trim();
    }

    /** One message as it arrived: its id (for partial batch failures) and its body, an SNS notification. */
    public record Received(String id, String body) {
    }

    /** What happened: messages posted, and the ids of alerts that failed with the reasons. */
    public record Result(int posted, List<String> failedIds, List<String> errors) {
        public Result {
            failedIds = List.copyOf(failedIds);
            errors = List.copyOf(errors);
        }

        public boolean ok() {
            return failedIds.isEmpty();
        }
    }

    public Result deliver(List<Received> messages) {
        List<BurstPlan.Incoming> alerts = new ArrayList<>();
        List<SlackMessage> others = new ArrayList<>();
        Set<String> failed = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        for (Received m : messages) {
            try {
                String json = SnsEnvelope.alertFrom(m.body(), alertTopicArn);
                // The scheduled audit's weekly summary shares the topic: posted on its own, never grouped.
                Optional<JsonNode> audit = auditSummary(json);
                if (audit.isPresent()) {
                    others.add(new SlackMessage(AuditSummarySlack.render(audit.get()), List.of(m.id())));
                } else {
                    alerts.add(new BurstPlan.Incoming(m.id(), AlertDocument.parse(json)));
                }
            } catch (IllegalArgumentException e) {
                failed.add(m.id());
                errors.add("message " + m.id() + ": " + e.getMessage());
            }
        }
        int posted = 0;
        if (!alerts.isEmpty() || !others.isEmpty()) {
            String url = secret.url();
            List<SlackMessage> plan = new ArrayList<>(BurstPlan.plan(alerts, burstThreshold));
            plan.addAll(others);
            for (SlackMessage post : plan) {
                try {
                    client.post(url, post.json());
                    posted++;
                } catch (WebhookException e) {
                    if (e.permanent()) {
                        secret.invalidate();
                    }
                    failed.addAll(post.alertIds());
                    errors.add("alerts " + post.alertIds() + ": " + e.getMessage());
                }
            }
        }
        return new Result(posted, new ArrayList<>(failed), errors);
    }

    private static Optional<JsonNode> auditSummary(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return node != null && AuditSummarySlack.SCHEMA.equals(node.path("schema").asText()) ? Optional.of(node)
                    : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty(); // AlertDocument.parse says where it is not JSON
        }
    }
}
