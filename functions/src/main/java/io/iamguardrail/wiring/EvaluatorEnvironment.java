package io.iamguardrail.wiring;

import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.MemberSessions;
import io.iamguardrail.aws.OrganizationsAccounts;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.organization.MemberRole;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.Guardrail;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.tamper.OwnStack;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

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
 * {@code MAC_KEY_ID}, {@code MAX_EVENT_AGE_HOURS} (default 24) and {@code CONFIRM_EVENTS} (default true); in an
 * organization's hub {@code DEPLOYMENT_MODE=hub} (default {@code account}), {@code MEMBER_ROLE_NAME} (the role the hub
 * assumes in each member account) and {@code MEMBER_EXTERNAL_ID}. A bad value fails the function's init with the reason.
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
                EvaluatorSetup.Scope.FUNCTION, readsPerSecond(env));
    }

    /** The use case wired from the environment and the given clients, its decision log on standard output. */
    public static GuardrailService service(Map<String, String> env, AwsClients clients) {
        return service(env, clients, System.out);
    }

    public static GuardrailService service(Map<String, String> env, AwsClients clients, PrintStream log) {
        return EvaluatorWiring.live(setup(env), clients, new DecisionLog(log, Clock.systemUTC()));
    }

    /**
     * The function's evaluator: in a single account its service; in a hub ({@code DEPLOYMENT_MODE=hub}) the router
     * over the organization's accounts, reaching them with the production Organizations and STS clients.
     */
    public static Guardrail guardrail(Map<String, String> env, AwsClients clients, PrintStream log) {
        Optional<MemberRole> role = memberRole(env);
        if (role.isEmpty()) {
            return service(env, clients, log);
        }
        EvaluatorSetup setup = setup(env);
        String partition = partition(setup.guardrailRoleArn());
        Clock clock = Clock.systemUTC();
        HubWiring.Hub hub = new HubWiring.Hub(new OrganizationsAccounts(UrlConnectionHttpClient.create(),
                DefaultCredentialsProvider.create(), OrganizationsAccounts.endpoint(env), "us-east-1", clock),
                new MemberSessions(Clients.sts(), role.get(), partition, clock), role.get(), partition,
                HubWiring.MemberClients.standard());
        return HubWiring.live(setup, clients, new DecisionLog(log, clock), hub);
    }

    /**
     * {@code DEPLOYMENT_MODE}: {@code account} (or unset), the guardrail of its own account only; {@code hub}, which
     * needs {@code MEMBER_ROLE_NAME}: the member role, presented with {@code MEMBER_EXTERNAL_ID} when set.
     */
    public static Optional<MemberRole> memberRole(Map<String, String> env) {
        String mode = value(env, "DEPLOYMENT_MODE").orElse("account");
        if (!mode.equals("account") && !mode.equals("hub")) {
            throw new IllegalStateException("expected DEPLOYMENT_MODE to be account or hub but found `" + mode + "`");
        }
        Optional<String> name = value(env, "MEMBER_ROLE_NAME");
        Optional<String> externalId = value(env, "MEMBER_EXTERNAL_ID");
        if (mode.equals("account")) {
            return Optional.empty();
        }
        if (name.isEmpty()) {
            throw new IllegalStateException("expected the environment variable MEMBER_ROLE_NAME (the role the hub"
                    + " assumes in each member account) with DEPLOYMENT_MODE=hub but it is not set");
        }
        try {
            return Optional.of(new MemberRole(name.get(), externalId));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid MEMBER_ROLE_NAME or MEMBER_EXTERNAL_ID: " + e.getMessage());
        }
    }

    /** The partition of the evaluator's role ({@code arn:aws-cn:iam::…}), {@code aws} when it is not set. */
    static String partition(Optional<String> roleArn) {
        return roleArn.map(a -> a.split(":", -1)).filter(f -> f.length > 2 && f[0].equals("arn") && !f[1].isEmpty())
                .map(f -> f[1]).orElse("aws");
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

    /** The share of IAM's rate one container's reads may take ({@code IAM_READS_PER_SECOND}, 0 or unset: no limit). */
    private static double readsPerSecond(Map<String, String> env) {
        String rate = env.getOrDefault("IAM_READS_PER_SECOND", "0").trim();
        try {
            double r = Double.parseDouble(rate.isEmpty() ? "0" : rate);
            if (r >= 0 && r <= 1000) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("expected IAM_READS_PER_SECOND to be a number of reads a second from 0 (no"
                + " limit) to 1000 but found `" + rate + "`");
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
