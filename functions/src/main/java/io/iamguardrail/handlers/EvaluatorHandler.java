package io.iamguardrail.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.DynamoDbEventLedger;
import io.iamguardrail.aws.LiveIamState;
import io.iamguardrail.aws.SnsAlertPublisher;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.ConfigException;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.EnvironmentOverrides;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.pipeline.EventLedger;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.pipeline.Secrets;
import io.iamguardrail.pipeline.Verdict;
import io.iamguardrail.rules.Rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The evaluator Lambda: EventBridge invokes it with one CloudTrail IAM event. Thin: read the bytes, call the use
 * case, answer. A malformed event fails the invocation, so Lambda's retries and the on-failure destination keep it.
 *
 * <p>Environment: {@code TOPIC_ARN} (required), {@code TABLE_NAME} (idempotency, optional),
 * {@code GUARDRAIL_ROLE_ARN} (loop guard), {@code GUARDRAIL_CONFIG} (the YAML configuration, optional), and the
 * template parameters that override it (see {@link EnvironmentOverrides}).
 */
public final class EvaluatorHandler implements RequestStreamHandler {

    private final GuardrailService service;
    /** Held here: the checkpoint context keeps only weak references to its resources. */
    private final Priming priming;

    /** Lambda's constructor: wires the real clients once per container and registers the SnapStart priming. */
    public EvaluatorHandler() {
        this(service(System.getenv(), Clients.iam(), Clients.sns(), Clients.dynamo()));
        org.crac.Core.getGlobalContext().register(priming);
    }

    /** For tests: the use case with ports of their choosing. */
    public EvaluatorHandler(GuardrailService service) {
        this.service = service;
        this.priming = new Priming(service.config(), System.out);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        GuardrailService.Outcome outcome = service.process(event, context == null ? "lambda" : context.getAwsRequestId());
        if (outcome.decision().verdict() == Verdict.ERROR) {
            throw new IllegalArgumentException(Secrets.redact(outcome.decision().reason()));
        }
        String answer = "{\"verdict\":\"" + outcome.decision().verdict() + "\",\"eventId\":"
                + SnsAlertPublisher.quoteJson(outcome.decision().eventId()) + ",\"messageId\":"
                + outcome.messageId().map(SnsAlertPublisher::quoteJson).orElse("null") + "}";
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }

    /** The use case wired from the Lambda environment and the given clients (tests pass emulator clients). */
    public static GuardrailService service(Map<String, String> env, software.amazon.awssdk.services.iam.IamClient iam,
                                           software.amazon.awssdk.services.sns.SnsClient sns,
                                           software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo) {
        String topic = env.get("TOPIC_ARN");
        if (topic == null || topic.isBlank()) {
            throw new IllegalStateException("expected the environment variable TOPIC_ARN (the alert topic) but it is not set");
        }
        GuardrailConfig config = GuardrailConfig.defaults();
        String yaml = env.get("GUARDRAIL_CONFIG");
        if (yaml != null && !yaml.isBlank()) {
            try {
                config = new ConfigLoader(Rules.configurableIds()).load(yaml, "GUARDRAIL_CONFIG");
            } catch (ConfigException e) {
                // Not chained: the cause's message would print the value unmasked in the init error.
                throw new IllegalStateException("invalid configuration: " + Secrets.redact(e.getMessage()));
            }
        }
        try {
            config = EnvironmentOverrides.apply(config, env);
        } catch (ConfigException e) {
            throw new IllegalStateException("invalid environment: " + e.getMessage(), e);
        }
        LiveIamState state = new LiveIamState(iam, ManagedPolicySnapshot.bundled());
        String table = env.get("TABLE_NAME");
        EventLedger ledger = table == null || table.isBlank() ? EventLedger.NONE
                : new DynamoDbEventLedger(dynamo, table, Clock.systemUTC());
        EventEvaluator evaluator = new EventEvaluator(state, config, Optional.ofNullable(env.get("GUARDRAIL_ROLE_ARN")));
        return new GuardrailService(evaluator, new SnsAlertPublisher(sns, topic), ledger,
                new DecisionLog(System.out, Clock.systemUTC()), state::calls);
    }
}
