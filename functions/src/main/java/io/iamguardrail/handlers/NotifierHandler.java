package io.iamguardrail.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.SecretsManagerWebhookSecret;
import io.iamguardrail.notify.BurstPlan;
import io.iamguardrail.notify.Notifier;
import io.iamguardrail.notify.WebhookClient;
import io.iamguardrail.notify.WebhookSecret;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Slack notifier Lambda. Two entry points over one use case:
 * <ul>
 *   <li>{@code handleRequest}: subscribed to the alert topic directly ({@link SNSEvent}). Any alert that cannot be
 *       posted fails the invocation, so Lambda's retries and the on-failure destination keep it.</li>
 *   <li>{@code handleSqs}: fed by an SQS queue subscribed to the topic, with a batching window: a burst of alerts
 *       arrives together and is grouped by actor ({@link BurstPlan}). Alerts that could not be posted are returned as
 *       batch item failures (the event source mapping needs {@code ReportBatchItemFailures}), so only they are
 *       retried and then reach the queue's dead-letter queue.</li>
 * </ul>
 *
 * <p>Environment: {@code SLACK_WEBHOOK_SECRET_ARN} (required: the Secrets Manager secret with the webhook URL),
 * {@code SLACK_ALLOWED_HOSTS} (optional, comma-separated hosts allowed besides hooks.slack.com),
 * {@code BURST_THRESHOLD} (optional, alerts of one actor in one batch beyond which a digest is posted; default 3).
 */
public final class NotifierHandler implements RequestHandler<SNSEvent, String> {

    private final Notifier notifier;

    /** Lambda's constructor: wires Secrets Manager once per container (the URL is cached there too). */
    public NotifierHandler() {
        this(notifier(System.getenv(), new SecretsManagerWebhookSecret(Clients.secretsManager(),
                System.getenv("SLACK_WEBHOOK_SECRET_ARN"))));
    }

    /** For tests: the use case with ports of their choosing. */
    public NotifierHandler(Notifier notifier) {
        this.notifier = notifier;
    }

    @Override
    public String handleRequest(SNSEvent event, Context context) {
        List<Notifier.Received> received = new ArrayList<>();
        if (event != null && event.getRecords() != null) {
            for (SNSEvent.SNSRecord r : event.getRecords()) {
                SNSEvent.SNS sns = r.getSNS();
                received.add(new Notifier.Received(sns == null ? "unknown" : String.valueOf(sns.getMessageId()),
                        sns == null ? null : sns.getMessage()));
            }
        }
        Notifier.Result result = notifier.deliver(received);
        if (!result.ok()) {
            throw new IllegalStateException("could not notify Slack of " + result.failedIds().size() + " of "
                    + received.size() + " alerts: " + String.join("; ", result.errors()));
        }
        return "{\"posted\":" + result.posted() + "}";
    }

    /** The SQS entry point (handler string {@code io.iamguardrail.handlers.NotifierHandler::handleSqs}). */
    public SQSBatchResponse handleSqs(SQSEvent event, Context context) {
        List<Notifier.Received> received = new ArrayList<>();
        if (event != null && event.getRecords() != null) {
            for (SQSEvent.SQSMessage m : event.getRecords()) {
                received.add(new Notifier.Received(m.getMessageId(), m.getBody()));
            }
        }
        Notifier.Result result = notifier.deliver(received);
        // One line per failure for the logs: alert ids and reasons, never the webhook URL (the client never puts it in).
        result.errors().forEach(e -> System.out.println("{\"level\":\"ERROR\",\"notifier\":"
                + io.iamguardrail.aws.SnsAlertPublisher.quoteJson(e) + "}"));
        return new SQSBatchResponse(result.failedIds().stream()
                .map(id -> new SQSBatchResponse.BatchItemFailure(id)).toList());
    }

    /** The use case from the environment and a secret (tests pass their own). */
    public static Notifier notifier(Map<String, String> env, WebhookSecret secret) {
        Set<String> hosts = Arrays.stream(env.getOrDefault("SLACK_ALLOWED_HOSTS", "").split(","))
                .map(String::trim).filter(h -> !h.isEmpty()).collect(Collectors.toSet());
        int threshold = BurstPlan.DEFAULT_THRESHOLD;
        String t = env.get("BURST_THRESHOLD");
        if (t != null && !t.isBlank()) {
            try {
                threshold = Integer.parseInt(t.trim());
            } catch (NumberFormatException e) {
                throw new IllegalStateException("expected BURST_THRESHOLD to be a whole number but found `" + t + "`");
            }
        }
        return new Notifier(secret, WebhookClient.slack(hosts), threshold);
    }
}
