package io.iamguardrail.pipeline;

import io.iamguardrail.decision.Verdict;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.NodeWriter;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One delivery from the evaluator's queue, as Lambda's event source mapping hands it over: up to its batch size of
 * messages, each holding one EventBridge event. The events of a batch are judged together ({@link
 * Guardrail#beginBatch()}: each principal read once), each on its own, and alerted at its end ({@link
 * Guardrail#endBatch()}: one alert per principal naming each of its events). The answer names only the messages that
 * must come again (ReportBatchItemFailures): one bad or unlucky event never makes the others be judged twice. A message
 * that fails every delivery ends in the failed-event queue with its body.
 */
public record QueuedBatch(List<Message> messages) {

    /** A message of the batch: the id a partial failure names, and the event it carries. */
    public record Message(String messageId, byte[] body) {
    }

    /** What became of a message that must come again, and why. */
    public record Failure(String messageId, String reason) {
    }

    /** The batch's outcomes in order, and the messages to deliver again. */
    public record Result(List<GuardrailService.Outcome> outcomes, List<Failure> failures) {
        public Result {
            outcomes = List.copyOf(outcomes);
            failures = List.copyOf(failures);
        }

        /** The answer Lambda reads: {@code {"batchItemFailures":[{"itemIdentifier":"..."}]}}. */
        public String answer() {
            StringBuilder out = new StringBuilder("{\"batchItemFailures\":[");
            for (int i = 0; i < failures.size(); i++) {
                out.append(i == 0 ? "" : ",").append("{\"itemIdentifier\":")
                        .append(NodeWriter.quote(failures.get(i).messageId())).append('}');
            }
            return out.append("]}").toString();
        }
    }

    public QueuedBatch {
        messages = List.copyOf(messages);
    }

    /**
     * The batch, when the input is a delivery from a queue ({@code {"Records":[{"eventSource":"aws:sqs",...}]}});
     * empty for anything else, which is then judged as one event (and reported there if it is not one).
     */
    public static Optional<QueuedBatch> read(byte[] input) {
        Node root;
        try {
            root = NodeReader.readJson(new String(input, StandardCharsets.UTF_8));
        } catch (NodeReadException e) {
            return Optional.empty();
        }
        if (!(root instanceof Node.Obj o) || !(o.get("Records") instanceof Node.Arr records) || records.items().isEmpty()) {
            return Optional.empty();
        }
        List<Message> messages = new ArrayList<>();
        for (Node record : records.items()) {
            if (!(record instanceof Node.Obj r) || !text(r, "eventSource").equals(Optional.of("aws:sqs"))) {
                return Optional.empty();
            }
            // A record without an id or a body cannot be named in the answer: it fails the whole delivery below.
            messages.add(new Message(text(r, "messageId").orElse(""),
                    text(r, "body").orElse("").getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.of(new QueuedBatch(messages));
    }

    /** Judges every message in one batch; a message that fails is named in the result, the others go on. */
    public Result process(Guardrail guardrail, Invocation invocation) {
        return process(guardrail, invocation, Clock.systemUTC(), Instant.MAX);
    }

    /**
     * As {@link #process(Guardrail, Invocation)}, starting no message after {@code stopStartingAt}: the messages left
     * are named for delivery again, so that a slow batch (IAM throttling the reads) never runs into the function's
     * timeout, which would deliver the whole batch again, the messages already judged included.
     */
    public Result process(Guardrail guardrail, Invocation invocation, Clock clock, Instant stopStartingAt) {
        if (messages.stream().anyMatch(m -> m.messageId().isEmpty())) {
            throw new IllegalArgumentException("expected every record of the queue's delivery to carry a messageId"
                    + " and a body, but one does not: the delivery fails as a whole and comes again");
        }
        List<GuardrailService.Outcome> outcomes = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        // The messages of each event whose alert the batch's end publishes: they fail if it does not go out.
        Map<String, List<String>> heldMessages = new HashMap<>();
        BatchEnd end = BatchEnd.NONE;
        // Each event decoded once: the batch's principals are read before the first event is judged.
        List<EventDecoder.Decoded> events = messages.stream().map(m -> EventDecoder.decode(m.body())).toList();
        guardrail.beginBatch(events, invocation);
        try {
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                if (clock.instant().isAfter(stopStartingAt)) {
                    failures.add(new Failure(m.messageId(), "not started: too little of the invocation's time left"));
                    continue;
                }
                try {
                    GuardrailService.Outcome o = guardrail.process(events.get(i), invocation);
                    if (o.held()) {
                        heldMessages.computeIfAbsent(o.decision().eventId(), k -> new ArrayList<>()).add(m.messageId());
                        continue;
                    }
                    outcomes.add(o);
                    if (o.decision().verdict() == Verdict.ERROR) {
                        failures.add(new Failure(m.messageId(), o.decision().reason()));
                    } else if (o.retry().isPresent()) {
                        failures.add(new Failure(m.messageId(), o.retry().get()));
                    }
                } catch (RuntimeException e) {
                    // A publish that failed gave the event's claim back: this message comes again, the others stand.
                    failures.add(new Failure(m.messageId(), e.getClass().getSimpleName() + ": " + e.getMessage()));
                }
            }
        } finally {
            end = guardrail.endBatch();
        }
        outcomes.addAll(end.outcomes());
        for (BatchEnd.Unpublished u : end.unpublished()) {
            heldMessages.getOrDefault(u.eventId(), List.of()).forEach(id -> failures.add(new Failure(id, u.reason())));
        }
        return new Result(outcomes, failures);
    }

    private static Optional<String> text(Node.Obj o, String key) {
        return o.get(key) instanceof Node.Str s ? Optional.of(s.value()) : Optional.empty();
    }
}
