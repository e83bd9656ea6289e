package io.iamguardrail.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.iamguardrail.audit.ScheduledAudit;
import io.iamguardrail.audit.organization.Answers;
import io.iamguardrail.audit.organization.AuditRequest;
import io.iamguardrail.audit.organization.OrganizationAudit;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.json.NodeWriter;
import io.iamguardrail.priming.SnapshotHeap;
import io.iamguardrail.telemetry.FunctionLog;
import io.iamguardrail.telemetry.LogLevel;
import io.iamguardrail.telemetry.MetricLine;
import io.iamguardrail.telemetry.MetricLine.Metric;
import io.iamguardrail.wiring.AuditEnvironment;
import io.iamguardrail.wiring.HubAuditEnvironment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduled audit Lambda (EventBridge Scheduler, weekly): sweeps the whole account, stores the JSON and HTML
 * report in the backup bucket and publishes one summary. The schedule's input is not needed and is ignored.
 * In the hub of an organization it is also each step of the organization audit's state machine
 * ({@link AuditRequest}): the list of active members, one member account's audit, and the roll-up.
 *
 * The environment it reads is {@link AuditEnvironment}'s.
 */
public final class AuditHandler implements RequestStreamHandler {

    /** Lets the collection before a SnapStart snapshot give the heap back; held: the context keeps weak references. */
    private SnapshotHeap snapshotHeap;

    /** The audit's {@code service}, in its log lines and as the dimension of its metrics. */
    public static final String SERVICE = "audit";

    private final ScheduledAudit audit;
    private final Optional<OrganizationAudit> organization;
    private final FunctionLog log;
    private final Clock clock;

    /** Lambda's constructor: wires the real clients once per container. */
    public AuditHandler() {
        this(Wired.fromEnvironment(System.getenv()));
        this.snapshotHeap = SnapshotHeap.registerForCheckpoint();
    }

    private AuditHandler(Wired wired) {
        this(wired.audit(), wired.organization());
    }

    /** The account's audit and, in a hub, the organization's, sharing one set of clients. */
    private record Wired(ScheduledAudit audit, Optional<OrganizationAudit> organization) {
        static Wired fromEnvironment(Map<String, String> env) {
            // `sam local invoke --env-vars events/env.json` sets OFFLINE=true: honoured under SAM CLI only.
            if (LocalFunctions.offline(env)) {
                return new Wired(LocalFunctions.offlineAudit(env, System.out), Optional.empty());
            }
            S3Client s3 = Clients.s3();
            SnsClient sns = Clients.sns();
            DynamoDbClient dynamo = Clients.dynamo();
            return new Wired(AuditEnvironment.audit(env, Clients.iam(), s3, sns, dynamo),
                    HubAuditEnvironment.fromEnvironment(env, s3, sns, dynamo));
        }
    }

    /** For tests: the use case with ports of their choosing. */
    public AuditHandler(ScheduledAudit audit) {
        this(audit, Optional.empty());
    }

    /** For tests: with the hub's use case when {@code organization} is present. */
    public AuditHandler(ScheduledAudit audit, Optional<OrganizationAudit> organization) {
        this(audit, organization, FunctionLog.standard(SERVICE, System.out), Clock.systemUTC());
    }

    /** For tests and local invocation: with the log and the clock (the sweep's duration) of their choosing. */
    public AuditHandler(ScheduledAudit audit, Optional<OrganizationAudit> organization, FunctionLog log, Clock clock) {
        this.audit = audit;
        this.organization = organization;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        log.begin(context == null ? null : context.getAwsRequestId());
        AuditRequest request = AuditRequest.read(input.readAllBytes());
        if (!(request instanceof AuditRequest.OwnAccount)) {
            String answer = organization(request);
            log.log(LogLevel.INFO, "organization audit step", g -> g.writeStringField("step",
                    request.getClass().getSimpleName()));
            output.write(answer.getBytes(StandardCharsets.UTF_8));
            return;
        }
        long start = clock.millis();
        ScheduledAudit.Outcome o = audit.run();
        record(o, clock.millis() - start);
        String answer = "{\"report\":" + NodeWriter.quote(o.location()) + ",\"principalsScanned\":"
                + o.report().principalsScanned() + ",\"findings\":" + o.report().findingCount() + ",\"new\":"
                + o.report().newCount() + ",\"messageId\":" + NodeWriter.quote(o.messageId()) + "}";
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }

    /** The sweep's log line and its metrics: what an operator's dashboard of the weekly audit plots. */
    private void record(ScheduledAudit.Outcome o, long millis) {
        long resolved = o.report().resolved().size();
        log.log(LogLevel.INFO, "audit", g -> {
            g.writeStringField("report", o.location());
            if (o.report().accountId().isPresent()) {
                g.writeStringField("account", o.report().accountId().get());
            }
            g.writeNumberField("principalsScanned", o.report().principalsScanned());
            g.writeNumberField("findings", o.report().findingCount());
            g.writeNumberField("new", o.report().newCount());
            g.writeNumberField("resolved", resolved);
            g.writeNumberField("durationMs", millis);
            g.writeStringField("messageId", o.messageId());
        });
        log.metrics(new MetricLine().group(List.of(), Metric.count("AuditPrincipals", o.report().principalsScanned()),
                Metric.count("AuditFindings", o.report().findingCount()), Metric.count("AuditNewFindings",
                        o.report().newCount()), Metric.count("AuditResolvedFindings", resolved),
                Metric.millis("AuditDuration", millis)));
    }

    private String organization(AuditRequest request) {
        if (organization.isEmpty()) {
            throw new IllegalArgumentException("audit input: expected the schedule's event, since only a hub"
                    + " (DEPLOYMENT_MODE=hub) audits an organization, but found " + request);
        }
        OrganizationAudit hub = organization.get();
        if (request instanceof AuditRequest.Account a) {
            return Answers.account(hub.audit(a.account(), a.date()));
        }
        if (request instanceof AuditRequest.RollUp r) {
            return Answers.rollUp(hub.rollUp(r.date(), r.accounts()));
        }
        return Answers.accounts(hub.activeMembers());
    }
}
