package io.iamguardrail.pipeline;

import java.time.Instant;
import java.util.Optional;

/**
 * The invocation an event arrives in, as the runtime (not the event) tells it.
 *
 * @param requestId  Lambda's request id: a retry of a failed invocation keeps it
 * @param ownAccount the account the guardrail runs in, from the invoked function's ARN (the Lambda) or the caller's
 *                   identity ({@code replay --live}); empty offline, where nothing is acted on
 * @param leaseUntil how long this invocation may hold an event: a little after it must have ended
 */
public record Invocation(String requestId, Optional<String> ownAccount, Instant leaseUntil) {

    /** A run of the CLI or a test: no account binding, a lease of five minutes. */
    public static Invocation local(String source) {
        return new Invocation(source, Optional.empty(), Instant.now().plusSeconds(300));
    }

    /** The account of a function ARN ({@code arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]}). */
    public static Optional<String> accountOfFunctionArn(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        String[] parts = arn.split(":", -1);
        return parts.length >= 7 && parts[0].equals("arn") && parts[2].equals("lambda") && parts[4].matches("\\d{12}")
                ? Optional.of(parts[4]) : Optional.empty();
    }
}
