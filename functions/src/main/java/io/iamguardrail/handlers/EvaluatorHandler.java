package io.iamguardrail.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.iamguardrail.aws.IamRequests;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.json.NodeWriter;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.Guardrail;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.pipeline.Invocation;
import io.iamguardrail.pipeline.QueuedBatch;
import io.iamguardrail.pipeline.Secrets;
import io.iamguardrail.priming.Priming;
import io.iamguardrail.priming.Rehearsal;
import io.iamguardrail.priming.SnapshotHeap;
import io.iamguardrail.telemetry.FunctionLog;
import io.iamguardrail.telemetry.LogLevel;
import io.iamguardrail.telemetry.MetricLine;
import io.iamguardrail.wiring.AwsClients;
import io.iamguardrail.wiring.EvaluatorEnvironment;
import org.crac.Core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The evaluator Lambda: its queue's event source mapping invokes it with a batch of CloudTrail events (judged
 * together, a partial failure naming the messages to deliver again); {@code invoke}, tests and a direct invocation
 * with one event. Thin: read the bytes, call the use case, answer. A malformed single event fails the invocation.
 * The environment it reads is {@link EvaluatorEnvironment}'s.
 */
public final class EvaluatorHandler implements RequestStreamHandler {

    /** How long a claim outlives the invocation that holds it: its clock and the ledger's may differ a little. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    /** A batch starts no message with less than this left of the invocation: one event's reads and alert fit in it. */
    static final Duration BATCH_RESERVE = Duration.ofSeconds(15);

    private final Guardrail service;
    /** Starts each invocation's log lines (request and trace id, cold start); the decisions are the service's. */
    private final FunctionLog log;
    /** Held here: the checkpoint context keeps only weak references to its resources. */
    private final Priming priming;
    /** Without priming, only the heap is made ready for a snapshot; held for the same reason. */
    private SnapshotHeap snapshotHeap;
    /** The container's IAM requests when the last invocation ended: each invocation reports its own. */
    private IamRequests.Count iamBefore = IamRequests.CONTAINER.count();

    /**
     * Lambda's constructor: wires the real clients once per container and primes them. {@code PRIMING} chooses
     * when: {@code snapstart} (the default) in SnapStart's beforeCheckpoint hook, so that the snapshot holds the
     * warmed state and an on-demand init stays short; {@code init} here, in the init phase; {@code off} never.
     */
    public EvaluatorHandler() {
        Map<String, String> env = System.getenv();
        this.log = FunctionLog.standard(DecisionLog.SERVICE, System.out);
        AwsClients clients = AwsClients.standard();
        // `sam local invoke --env-vars events/env.json` sets OFFLINE=true: honoured under SAM CLI only.
        this.service = LocalFunctions.offline(env) ? LocalFunctions.offlineEvaluator(env, System.out)
                : EvaluatorEnvironment.guardrail(env, clients, System.out);
        this.priming = new Priming(service.config(), System.out,
                Rehearsal.evaluator(env, clients.iam(), clients.sns(), clients.dynamo()));
        String when = env.getOrDefault("PRIMING", "snapstart").trim();
        switch (when) {
            case "snapstart" -> Core.getGlobalContext().register(priming);
            case "init" -> priming.prime("init");
            case "off" -> this.snapshotHeap = SnapshotHeap.registerForCheckpoint();
            default -> throw new IllegalStateException(
                    "expected PRIMING to be snapstart, init or off but found `" + when + "`");
        }
    }

    /** For tests and local invocation: the use case with ports of their choosing. */
    public EvaluatorHandler(Guardrail service) {
        this(service, FunctionLog.standard(DecisionLog.SERVICE, System.out));
    }

    /** For local invocation: with the log its decision lines share. */
    public EvaluatorHandler(Guardrail service, FunctionLog log) {
        this.service = service;
        this.log = log;
        this.priming = new Priming(service.config(), System.out);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        log.begin(context == null ? null : context.getAwsRequestId());
        try {
            handle(input, output, context);
        } finally {
            reportIamRequests();
        }
    }

    /**
     * IAM requests and throttled attempts of the invocation, the SDK's retries included: how much of IAM's
     * account-wide rate the guardrail took while a deployment was calling IAM too.
     */
    private void reportIamRequests() {
        IamRequests.Count now = IamRequests.CONTAINER.count();
        IamRequests.Count spent = now.since(iamBefore);
        iamBefore = now;
        if (spent.sent() > 0) {
            log.metrics(new MetricLine().group(List.of(), MetricLine.Metric.count("IamRequests", spent.sent()),
                    MetricLine.Metric.count("IamThrottles", spent.throttled())));
        }
    }

    private void handle(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] bytes = input.readAllBytes();
        Optional<QueuedBatch> batch = QueuedBatch.read(bytes);
        if (batch.isPresent()) {
            Instant stop = context == null ? Instant.MAX
                    : Instant.now().plusMillis(context.getRemainingTimeInMillis()).minus(BATCH_RESERVE);
            QueuedBatch.Result result = batch.get().process(service, invocation(context), Clock.systemUTC(), stop);
            // Each decision is in the decision log; a message that comes again says here why.
            result.failures().forEach(f -> log.log(LogLevel.WARN, "message will be delivered again", g -> {
                g.writeStringField("messageId", f.messageId());
                g.writeStringField("reason", Secrets.redact(f.reason()));
            }));
            output.write(result.answer().getBytes(StandardCharsets.UTF_8));
            return;
        }
        GuardrailService.Outcome outcome = service.process(bytes, invocation(context));
        if (outcome.decision().verdict() == Verdict.ERROR) {
            throw new IllegalArgumentException(Secrets.redact(outcome.decision().reason()));
        }
        if (outcome.retry().isPresent()) {
            // Failing is how Lambda is asked to deliver the event again (and, after its retries, to keep it).
            throw new IllegalStateException(Secrets.redact(outcome.retry().get()));
        }
        String answer = "{\"verdict\":\"" + outcome.decision().verdict() + "\",\"eventId\":"
                + NodeWriter.quote(outcome.decision().eventId()) + ",\"messageId\":"
                + outcome.messageId().map(NodeWriter::quote).orElse("null") + "}";
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The invocation as the runtime tells it: the account comes from the invoked function's ARN, never from the
     * event; the claim on the event lasts until a little after this invocation must have ended.
     */
    static Invocation invocation(Context context) {
        if (context == null) {
            // Outside Lambda (tests, a harness): each call is its own invocation.
            return Invocation.local("lambda-" + UUID.randomUUID());
        }
        Instant until = Instant.now().plusMillis(Math.max(0, context.getRemainingTimeInMillis())).plus(LEASE_MARGIN);
        return new Invocation(context.getAwsRequestId(), Invocation.accountOfFunctionArn(context.getInvokedFunctionArn()),
                until);
    }
}
