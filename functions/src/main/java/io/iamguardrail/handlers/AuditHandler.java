package io.iamguardrail.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.iamguardrail.audit.ScheduledAudit;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.json.NodeWriter;
import io.iamguardrail.priming.SnapshotHeap;
import io.iamguardrail.wiring.AuditEnvironment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The scheduled audit Lambda (EventBridge Scheduler, weekly): sweeps the whole account, stores the JSON and HTML
 * report in the backup bucket and publishes one summary. The schedule's input is not needed and is ignored.
 *
 * The environment it reads is {@link AuditEnvironment}'s.
 */
public final class AuditHandler implements RequestStreamHandler {

    /** Lets the collection before a SnapStart snapshot give the heap back; held: the context keeps weak references. */
    private SnapshotHeap snapshotHeap;

    private final ScheduledAudit audit;

    /** Lambda's constructor: wires the real clients once per container. */
    public AuditHandler() {
        // `sam local invoke --env-vars events/env.json` sets OFFLINE=true: honoured under SAM CLI only.
        this(LocalFunctions.offline(System.getenv()) ? LocalFunctions.offlineAudit(System.getenv(), System.out)
                : AuditEnvironment.audit(System.getenv(), Clients.iam(), Clients.s3(), Clients.sns(),
                        Clients.dynamo()));
        this.snapshotHeap = SnapshotHeap.registerForCheckpoint();
    }

    /** For tests: the use case with ports of their choosing. */
    public AuditHandler(ScheduledAudit audit) {
        this.audit = audit;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        ScheduledAudit.Outcome o = audit.run();
        String answer = "{\"report\":" + NodeWriter.quote(o.location()) + ",\"principalsScanned\":"
                + o.report().principalsScanned() + ",\"findings\":" + o.report().findingCount() + ",\"new\":"
                + o.report().newCount() + ",\"messageId\":" + NodeWriter.quote(o.messageId()) + "}";
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }
}
