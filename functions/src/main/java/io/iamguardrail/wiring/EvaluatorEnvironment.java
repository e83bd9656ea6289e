package io.iamguardrail.wiring;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.tamper.OwnStack;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The evaluator function's environment, as template.yaml sets it: {@code TOPIC_ARN} (required), {@code TABLE_NAME},
 * {@code OPERATIONS_TOPIC_ARN}, {@code GUARDRAIL_ROLE_ARN} and {@code GUARDRAIL_ROLE_ARNS} (the loop guard and the
 * misuse rule), {@code GUARDRAIL_RESOURCES} and the heartbeat's names ({@link OwnStack}), {@code GUARDRAIL_CONFIG}
 * and the parameters that override it ({@link FunctionConfig}), for remediation {@code BACKUP_BUCKET},
 * {@code MAC_KEY_ID}, {@code MAX_EVENT_AGE_HOURS} (default 24) and {@code CONFIRM_EVENTS} (default true). A bad value
 * fails the function's init with the reason.
 */
public final class EvaluatorEnvironment {

    private EvaluatorEnvironment() {
    }

    public static EvaluatorSetup setup(Map<String, String> env) {
        Optional<String> topic = value(env, "TOPIC_ARN");
        if (topic.isEmpty()) {
            throw new IllegalStateException("expected the environment variable TOPIC_ARN (the alert topic) but it is not set");
        }
        GuardrailConfig config = FunctionConfig.fromEnvironment(env);
        return new EvaluatorSetup(config, topic, value(env, "OPERATIONS_TOPIC_ARN"), value(env, "TABLE_NAME"),
                value(env, "GUARDRAIL_ROLE_ARN"), value(env, "GUARDRAIL_ROLE_ARNS"), OwnStack.fromEnvironment(env),
                value(env, "BACKUP_BUCKET"), value(env, "MAC_KEY_ID"), Optional.of(maxEventAge(env)), confirm(env),
                EvaluatorSetup.Scope.FUNCTION);
    }

    /** The use case wired from the environment and the given clients, its decision log on standard output. */
    public static GuardrailService service(Map<String, String> env, AwsClients clients) {
        return service(env, clients, System.out);
    }

    public static GuardrailService service(Map<String, String> env, AwsClients clients, PrintStream log) {
        return EvaluatorWiring.live(setup(env), clients, new DecisionLog(log, Clock.systemUTC()));
    }

    /** A variable as set; the template sets an unused one to the empty string. */
    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** Events older than this never remediate. */
    private static Duration maxEventAge(Map<String, String> env) {
        String hours = env.getOrDefault("MAX_EVENT_AGE_HOURS", "24").trim();
        try {
            return Duration.ofHours(Long.parseLong(hours));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("expected MAX_EVENT_AGE_HOURS to be a whole number of hours but found `"
                    + hours + "`");
        }
    }

    /** CloudTrail must confirm an event before anything is written on its strength. */
    private static boolean confirm(Map<String, String> env) {
        String confirm = env.getOrDefault("CONFIRM_EVENTS", "true").trim();
        if (!confirm.equals("true") && !confirm.equals("false")) {
            throw new IllegalStateException("expected CONFIRM_EVENTS to be true or false but found `" + confirm + "`");
        }
        return confirm.equals("true");
    }
}
