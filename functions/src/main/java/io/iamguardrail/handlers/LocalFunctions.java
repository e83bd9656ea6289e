package io.iamguardrail.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import io.iamguardrail.audit.AccessAdvisor;
import io.iamguardrail.audit.AccountSnapshot;
import io.iamguardrail.audit.AuthorizationDetailsException;
import io.iamguardrail.audit.AuthorizationDetailsReader;
import io.iamguardrail.audit.KnownAlerts;
import io.iamguardrail.audit.ReportStore;
import io.iamguardrail.audit.ScheduledAudit;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.S3ReportStore;
import io.iamguardrail.aws.SecretsManagerWebhookSecret;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.NodeWriter;
import io.iamguardrail.pipeline.Alert;
import io.iamguardrail.pipeline.AlertPublisher;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.telemetry.FunctionLog;
import io.iamguardrail.telemetry.Invocations;
import io.iamguardrail.telemetry.LogLevel;
import io.iamguardrail.wiring.AuditEnvironment;
import io.iamguardrail.wiring.AwsClients;
import io.iamguardrail.wiring.EvaluatorEnvironment;
import io.iamguardrail.wiring.EvaluatorSetup;
import io.iamguardrail.wiring.EvaluatorWiring;
import io.iamguardrail.wiring.FunctionConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The template's functions built for a local invocation ({@code invoke}, and {@code sam local invoke} with
 * {@code OFFLINE=true}): the real handler classes, given either the live SDK clients (as Lambda wires them) or the
 * offline ports: state from the event and the bundled AWS managed policies (the audit sweeps a bundled example
 * account), nothing published, posted or stored (the would-be SNS, Slack and S3 requests are logged instead), nothing
 * remediated.
 */
public final class LocalFunctions {

    /** A constructed function, ready to be invoked; closing it stops what the offline ports started. */
    public interface Function extends AutoCloseable {
        void invoke(InputStream input, OutputStream output, Context context) throws IOException;

        @Override
        default void close() {
        }
    }

    private LocalFunctions() {
    }

    /** The handler strings this builds, as template.yaml writes them. */
    public static List<String> handlers() {
        return List.of(EVALUATOR, NOTIFIER_SNS, NOTIFIER_SQS, AUDIT);
    }

    static final String EVALUATOR = "io.iamguardrail.handlers.EvaluatorHandler::handleRequest";
    static final String NOTIFIER_SNS = "io.iamguardrail.handlers.NotifierHandler::handleRequest";
    static final String NOTIFIER_SQS = "io.iamguardrail.handlers.NotifierHandler::handleSqs";
    static final String AUDIT = "io.iamguardrail.handlers.AuditHandler::handleRequest";

    /**
     * The function a handler string names, wired from {@code env}; its log lines go to {@code log}. Offline unless
     * {@code live}. Throws {@link IllegalStateException} with the reason when the environment is unusable, as the
     * function's init would fail.
     */
    public static Function create(String handler, Map<String, String> env, boolean live, PrintStream log) {
        switch (handler) {
            case EVALUATOR: {
                EvaluatorHandler h = new EvaluatorHandler(live
                        ? EvaluatorEnvironment.guardrail(env, AwsClients.standard(), log)
                        : offlineEvaluator(env, log), functionLog(DecisionLog.SERVICE, env, log));
                return h::handleRequest;
            }
            case NOTIFIER_SNS:
            case NOTIFIER_SQS: {
                SlackStandIn standIn = live ? null : SlackStandIn.start(log);
                NotifierHandler h = new NotifierHandler(live
                        ? NotifierHandler.notifier(env, arn -> new SecretsManagerWebhookSecret(Clients.secretsManager(), arn))
                        : NotifierHandler.notifier(standIn.environment(env), arn -> standIn),
                        functionLog(NotifierHandler.SERVICE, env, log));
                boolean sqs = handler.equals(NOTIFIER_SQS);
                return new Function() {
                    @Override
                    public void invoke(InputStream input, OutputStream output, Context context) throws IOException {
                        if (sqs) {
                            h.handleSqs(input, output, context);
                        } else {
                            h.handleRequest(input, output, context);
                        }
                    }

                    @Override
                    public void close() {
                        if (standIn != null) {
                            standIn.close();
                        }
                    }
                };
            }
            case AUDIT: {
                AuditHandler h = new AuditHandler(live
                        ? AuditEnvironment.audit(env, Clients.iam(), Clients.s3(), Clients.sns(), Clients.dynamo())
                        : offlineAudit(env, log), Optional.empty(), functionLog(AuditHandler.SERVICE, env, log),
                        Clock.systemUTC());
                return h::handleRequest;
            }
            default:
                throw new IllegalStateException("expected one of the guardrail's handlers ("
                        + String.join(", ", handlers()) + ") but the template names `" + handler + "`");
        }
    }

    /** A function's log as Lambda would write it: its environment, on {@code log}. */
    static FunctionLog functionLog(String service, Map<String, String> env, PrintStream log) {
        return new FunctionLog(service, env, log, Clock.systemUTC(), Invocations.PROCESS);
    }

    /**
     * Whether the evaluator's and the audit's Lambda constructors should wire the offline ports: {@code OFFLINE=true},
     * honoured only under SAM CLI ({@code AWS_SAM_LOCAL=true}, which Lambda never sets), so a deployed function always
     * reads IAM.
     */
    static boolean offline(Map<String, String> env) {
        return "true".equals(env.get("OFFLINE")) && "true".equals(env.get("AWS_SAM_LOCAL"));
    }

    /**
     * The evaluator's use case with the ports {@code replay} uses offline: the same configuration from the
     * environment as in Lambda ({@link FunctionConfig}), the same topic requirement, the decision log on {@code log}.
     */
    static GuardrailService offlineEvaluator(Map<String, String> env, PrintStream log) {
        EvaluatorSetup setup = EvaluatorEnvironment.setup(env);
        EvaluatorEnvironment.memberRole(env); // a bad DEPLOYMENT_MODE or member role fails here as in the function
        functionLog(DecisionLog.SERVICE, env, log).log(LogLevel.WARN, "offline: state from the event and the bundled"
                + " AWS managed policies; nothing is published, posted or remediated", FunctionLog.Fields.NONE);
        // The same identity and own stack as the deployed function: its own changes, misuse and tampering are told
        // apart offline exactly as they are live.
        return EvaluatorWiring.offline(setup, new LoggedPublisher(setup.topicArn().orElseThrow(), log),
                new DecisionLog(log, Clock.systemUTC()), Optional.of("offline: nothing is changed"));
    }

    /** The example account the offline audit sweeps, bundled in the jar from functions/examples/. */
    static final String EXAMPLE_ACCOUNT = "examples/authorization-details.json";

    /**
     * The sweep with the environment read as in Lambda ({@link AuditEnvironment#settings}), over the bundled example
     * account: no Access Advisor, no real-time alerts read, the report and the summary logged instead of stored and
     * published.
     */
    static ScheduledAudit offlineAudit(Map<String, String> env, PrintStream log) {
        AuditEnvironment.Settings settings = AuditEnvironment.settings(env);
        AccountSnapshot account = exampleAccount();
        functionLog(AuditHandler.SERVICE, env, log).log(LogLevel.WARN, "offline: the account is the bundled example ("
                + EXAMPLE_ACCOUNT + "), without Access Advisor or the real-time alerts; no report is written and"
                + " nothing is published", FunctionLog.Fields.NONE);
        return new ScheduledAudit(() -> account, settings.audit(AccessAdvisor.NONE, ManagedPolicySnapshot.bundled()),
                new LoggedReportStore(settings.bucket(), log), new LoggedPublisher(settings.topic(), log),
                AuditEnvironment.TOOL, KnownAlerts.NONE);
    }

    private static AccountSnapshot exampleAccount() {
        try (InputStream in = LocalFunctions.class.getClassLoader().getResourceAsStream(EXAMPLE_ACCOUNT)) {
            if (in == null) {
                throw new IllegalStateException("expected the example account " + EXAMPLE_ACCOUNT
                        + " in the jar but it is missing");
            }
            return AuthorizationDetailsReader.read(in.readAllBytes(), EXAMPLE_ACCOUNT);
        } catch (IOException | AuthorizationDetailsException e) {
            throw new IllegalStateException("cannot read the example account " + EXAMPLE_ACCOUNT + ": "
                    + e.getMessage(), e);
        }
    }

    /** Logs the S3 PutObject requests a report would be (the JSON report in full) instead of storing it. */
    record LoggedReportStore(String bucket, PrintStream log) implements ReportStore {
        @Override
        public Optional<String> latestJson() {
            return Optional.empty();
        }

        @Override
        public String save(Instant at, Supplier<String> json, Supplier<String> html) {
            String folder = S3ReportStore.folder(at);
            String report = json.get();
            log.println(putObject(folder + "report.json", "application/json", report, report));
            log.println(putObject(folder + "report.html", "text/html; charset=utf-8", html.get(), null));
            return "s3://" + bucket + "/" + folder;
        }

        private String putObject(String key, String type, String body, String shownJson) {
            return "{\"level\":\"INFO\",\"offline\":\"not written\",\"putObject\":{\"Bucket\":"
                    + NodeWriter.quote(bucket) + ",\"Key\":" + NodeWriter.quote(key) + ",\"ContentType\":"
                    + NodeWriter.quote(type) + ",\"ContentLength\":" + body.getBytes(StandardCharsets.UTF_8).length
                    + (shownJson == null ? "" : ",\"Body\":" + oneLine(shownJson)) + "}}";
        }

        /** The report as one log line, as CloudWatch Logs keeps a line; our own JSON, so it always reads. */
        private static String oneLine(String json) {
            try {
                return NodeWriter.toJson(NodeReader.readJson(json));
            } catch (NodeReadException e) {
                throw new IllegalStateException("expected the audit's JSON report to read back but " + e.getMessage(), e);
            }
        }
    }

    /** Logs the SNS Publish request the alert would be (one JSON line) instead of sending it. */
    record LoggedPublisher(String topicArn, PrintStream log) implements AlertPublisher {
        @Override
        public String publish(Alert alert) {
            StringBuilder attributes = new StringBuilder("{");
            new TreeMap<>(alert.attributes()).forEach((k, v) -> attributes.append(attributes.length() > 1 ? "," : "")
                    .append(NodeWriter.quote(k)).append(':').append(NodeWriter.quote(v)));
            String id = "offline-" + UUID.randomUUID();
            log.println("{\"level\":\"INFO\",\"offline\":\"not published\",\"messageId\":\"" + id + "\",\"publish\":{"
                    + "\"TopicArn\":" + NodeWriter.quote(topicArn)
                    + ",\"Subject\":" + NodeWriter.quote(alert.subject())
                    + ",\"MessageStructure\":\"json\",\"Message\":{\"default\":" + alert.json()
                    + ",\"email\":" + NodeWriter.quote(alert.email()) + "}"
                    + ",\"MessageAttributes\":" + attributes.append('}') + "}}");
            return id;
        }
    }
}
