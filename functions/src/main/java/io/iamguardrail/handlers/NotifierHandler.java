package io.iamguardrail.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.SecretsManagerWebhookSecret;
import io.iamguardrail.notify.BurstPlan;
import io.iamguardrail.notify.Dispatcher;
import io.iamguardrail.notify.Notifier;
import io.iamguardrail.notify.Notifiers;
import io.iamguardrail.notify.SnsEnvelope;
import io.iamguardrail.notify.WebhookSecret;
import io.iamguardrail.priming.SnapshotHeap;
import io.iamguardrail.telemetry.FunctionLog;
import io.iamguardrail.telemetry.LogLevel;
import io.iamguardrail.telemetry.MetricLine;
import io.iamguardrail.telemetry.MetricLine.Metric;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The notifier Lambda: delivers each alert to every configured {@link Notifier} (Slack). Two entry points over one
 * use case, each reading the event JSON as Lambda delivers it (no event-library classes: only the fields used are
 * read, with Jackson):
 * <ul>
 *   <li>{@code handleRequest}: subscribed to the alert topic directly (an SNS event, {@code Records[].Sns}). Any
 *       alert that cannot be posted fails the invocation, so Lambda's retries and the on-failure destination keep
 *       it. It answers {@code "{\"posted\":N}"}, a JSON string.</li>
 *   <li>{@code handleSqs}: fed by an SQS queue subscribed to the topic, with a batching window: a burst of alerts
 *       arrives together and is grouped by actor ({@link BurstPlan}). Alerts that could not be posted are returned as
 *       batch item failures ({@code {"batchItemFailures":[{"itemIdentifier":ID}]}}; the event source mapping needs
 *       {@code ReportBatchItemFailures}), so only they are retried and then reach the queue's dead-letter queue.</li>
 * </ul>
 *
 * <p>Only SNS notifications from the alert topic are posted ({@link SnsEnvelope}): anything else is refused with the
 * reason and takes the failure path (retries, then the dead-letter queue and its alarm).
 *
 * <p>Environment: {@code ALERT_TOPIC_ARN} (required: the alert topic), and for each notifier the variable naming the
 * Secrets Manager secret with its webhook URL (at least one; see {@link Notifiers}): {@code SLACK_WEBHOOK_SECRET_ARN},
 * with {@code SLACK_ALLOWED_HOSTS}, {@code SLACK_ALLOW_INSECURE_HTTP} and {@code BURST_THRESHOLD} (see
 * {@code SlackNotifier.fromEnvironment}).
 */
public final class NotifierHandler implements RequestStreamHandler {

    /** Lets the collection before a SnapStart snapshot give the heap back; held: the context keeps weak references. */
    private SnapshotHeap snapshotHeap;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The notifier's {@code service}, in its log lines and as the dimension of its metrics. */
    public static final String SERVICE = "notifier";

    private final Dispatcher notifier;
    private final FunctionLog log;

    /** Lambda's constructor: wires Secrets Manager once per container (the URL is cached there too). */
    public NotifierHandler() {
        this(notifier(System.getenv(), arn -> new SecretsManagerWebhookSecret(Clients.secretsManager(), arn)));
        this.snapshotHeap = SnapshotHeap.registerForCheckpoint();
    }

    /** For tests: the use case with ports of their choosing. */
    public NotifierHandler(Dispatcher notifier) {
        this(notifier, FunctionLog.standard(SERVICE, System.out));
    }

    /** For tests and local invocation: with the log of their choosing. */
    public NotifierHandler(Dispatcher notifier, FunctionLog log) {
        this.notifier = notifier;
        this.log = log;
    }

    /** The SNS entry point (handler string {@code io.iamguardrail.handlers.NotifierHandler::handleRequest}). */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        log.begin(context == null ? null : context.getAwsRequestId());
        output.write(JSON.writeValueAsBytes(deliverSns(read(input, "an SNS event"))));
    }

    /** The SQS entry point (handler string {@code io.iamguardrail.handlers.NotifierHandler::handleSqs}). */
    public void handleSqs(InputStream input, OutputStream output, Context context) throws IOException {
        log.begin(context == null ? null : context.getAwsRequestId());
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode failures = answer.putArray("batchItemFailures");
        deliverSqs(read(input, "an SQS event")).forEach(id -> failures.addObject().put("itemIdentifier", id));
        output.write(JSON.writeValueAsBytes(answer));
    }

    /**
     * Posts the alerts of an SNS event ({@code Records[].Sns}, the notification itself: its {@code MessageId},
     * {@code TopicArn} and {@code Message}); answers {@code {"posted":N}} or throws with every failure's reason.
     */
    public String deliverSns(JsonNode event) {
        List<Dispatcher.Received> received = new ArrayList<>();
        for (JsonNode r : event.path("Records")) {
            JsonNode sns = r.path("Sns");
            received.add(new Dispatcher.Received(sns.isObject() ? text(sns.path("MessageId"), "null") : "unknown",
                    sns.isObject() ? sns.toString() : null));
        }
        Notifier.Result result = notifier.deliver(received);
        record(received, result);
        if (!result.ok()) {
            throw new IllegalStateException("could not notify " + notifier.names() + " of " + result.failedIds().size()
                    + " of " + received.size() + " alerts: " + String.join("; ", result.errors()));
        }
        return "{\"posted\":" + result.posted() + "}";
    }

    /**
     * Posts the alerts of an SQS batch ({@code Records[].messageId} and {@code .body}); answers the message ids that
     * could not be posted, for the partial batch response.
     */
    public List<String> deliverSqs(JsonNode event) {
        List<Dispatcher.Received> received = new ArrayList<>();
        for (JsonNode m : event.path("Records")) {
            received.add(new Dispatcher.Received(text(m.path("messageId"), null), text(m.path("body"), null)));
        }
        Notifier.Result result = notifier.deliver(received);
        record(received, result);
        return List.copyOf(result.failedIds());
    }

    /**
     * The delivery's log line (ERROR when an alert failed, with each failure's alert ids and reason, never the webhook
     * URL: the client never puts it in) and its metrics.
     */
    private void record(List<Dispatcher.Received> received, Notifier.Result result) {
        log.log(result.ok() ? LogLevel.INFO : LogLevel.ERROR, "delivery", g -> {
            g.writeStringField("notifiers", notifier.names());
            g.writeNumberField("received", received.size());
            g.writeNumberField("posted", result.posted());
            g.writeNumberField("retries", result.retries());
            g.writeArrayFieldStart("messageIds");
            for (Dispatcher.Received r : received) {
                g.writeString(r.id() == null ? "null" : r.id());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("failedIds");
            for (String id : result.failedIds()) {
                g.writeString(id);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("errors");
            for (String e : result.errors()) {
                g.writeString(e);
            }
            g.writeEndArray();
        });
        log.metrics(new MetricLine().group(List.of(), Metric.count("AlertsReceived", received.size()),
                Metric.count("SlackPosts", result.posted()), Metric.count("SlackRetries", result.retries()),
                Metric.count("AlertsFailed", result.failedIds().size())));
    }

    private static String text(JsonNode node, String missing) {
        return node.isValueNode() && !node.isNull() ? node.asText() : missing;
    }

    private static JsonNode read(InputStream input, String what) throws IOException {
        try {
            JsonNode event = JSON.readTree(input);
            return event == null ? JSON.createObjectNode() : event;
        } catch (JacksonException e) {
            String at = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException("expected " + what + " as JSON but it does not parse" + at + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * The use case from the environment: every notifier it configures, each with the webhook secret {@code secrets}
     * gives for its ARN (Secrets Manager in Lambda; tests pass their own).
     */
    public static Dispatcher notifier(Map<String, String> env, Function<String, WebhookSecret> secrets) {
        String topic = env.get("ALERT_TOPIC_ARN");
        if (topic == null || topic.isBlank()) {
            throw new IllegalStateException("expected ALERT_TOPIC_ARN, the alert topic whose notifications are posted,"
                    + " but it is not set");
        }
        return new Dispatcher(topic, Notifiers.configured(env, secrets));
    }
}
