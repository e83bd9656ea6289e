package io.iamguardrail.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The notifiers the function can deliver to, one row each: the environment variable naming the secret that holds its
 * webhook URL, and how it is built from the environment and that secret. A notifier is configured when its variable
 * is set; adding one (Teams, PagerDuty) is its class, its row here, and its template block.
 */
public final class Notifiers {

    /** One destination: set {@code secretVariable} to use it. */
    record Kind(String secretVariable, BiFunction<Map<String, String>, WebhookSecret, Notifier> build) {
    }

    static final List<Kind> KINDS = List.of(
            new Kind("SLACK_WEBHOOK_SECRET_ARN", SlackNotifier::fromEnvironment));

    private Notifiers() {
    }

    /**
     * Every notifier whose secret variable is set in {@code env}, each with the secret {@code secrets} gives for
     * that ARN; throws saying which variables were looked for when none is set.
     */
    public static List<Notifier> configured(Map<String, String> env, Function<String, WebhookSecret> secrets) {
        List<Notifier> out = new ArrayList<>();
        for (Kind k : KINDS) {
            String arn = env.getOrDefault(k.secretVariable(), "").trim();
            if (!arn.isEmpty()) {
                out.add(k.build().apply(env, secrets.apply(arn)));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("expected a notifier to deliver alerts to (one of "
                    + KINDS.stream().map(Kind::secretVariable).toList() + " set to a secret ARN) but none is set");
        }
        return out;
    }
}
