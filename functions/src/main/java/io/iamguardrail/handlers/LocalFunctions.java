package io.iamguardrail.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.SecretsManagerWebhookSecret;
import io.iamguardrail.json.NodeWriter;
import io.iamguardrail.pipeline.Alert;
import io.iamguardrail.pipeline.AlertPublisher;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.wiring.AwsClients;
import io.iamguardrail.wiring.EvaluatorEnvironment;
import io.iamguardrail.wiring.EvaluatorSetup;
import io.iamguardrail.wiring.EvaluatorWiring;
import io.iamguardrail.wiring.FunctionConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The template's functions built for a local invocation ({@code invoke}, and {@code sam local invoke} with
 * {@code OFFLINE=true}): the real handler classes, given either the live SDK clients (as Lambda wires them) or the
 * offline ports: state from the event and the bundled AWS managed policies, nothing published or posted (the would-be
 * SNS message and Slack message are logged instead), nothing remediated.
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
                        ? EvaluatorEnvironment.service(env, AwsClients.standard())
                        : offlineEvaluator(env, log));
                return h::handleRequest;
            }
            case NOTIFIER_SNS:
            case NOTIFIER_SQS: {
                SlackStandIn standIn = live ? null : SlackStandIn.start(log);
                NotifierHandler h = new NotifierHandler(live
                        ? NotifierHandler.notifier(env, arn -> new SecretsManagerWebhookSecret(Clients.secretsManager(), arn))
                        : NotifierHandler.notifier(standIn.environment(env), arn -> standIn));
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
                if (!live) {
                    throw new IllegalStateException("expected --live for the audit function: it sweeps the whole"
                            + " account; offline, run `audit --authorization-details FILE` on a saved"
                            + " `aws iam get-account-authorization-details`");
                }
                AuditHandler h = new AuditHandler(AuditHandler.audit(env, Clients.iam(), Clients.s3(), Clients.sns(),
                        Clients.dynamo()));
                return h::handleRequest;
            }
            default:
                throw new IllegalStateException("expected one of the guardrail's handlers ("
                        + String.join(", ", handlers()) + ") but the template names `" + handler + "`");
        }
    }

    /**
     * Whether the evaluator's Lambda constructor should wire the offline ports: {@code OFFLINE=true}, honoured only
     * under SAM CLI ({@code AWS_SAM_LOCAL=true}, which Lambda never sets), so a deployed function always reads IAM.
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
        log.println("{\"level\":\"WARN\",\"message\":\"offline: state from the event and the bundled AWS managed"
                + " policies; nothing is published, posted or remediated\"}");
        // The same identity and own stack as the deployed function: its own changes, misuse and tampering are told
        // apart offline exactly as they are live.
        return EvaluatorWiring.offline(setup, new LoggedPublisher(setup.topicArn().orElseThrow(), log),
                new DecisionLog(log, Clock.systemUTC()), Optional.of("offline: nothing is changed"));
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
