package io.iamguardrail.event;

import io.iamguardrail.json.Node;

import java.util.Optional;

/**
 * The parts of an "AWS API Call via CloudTrail" event the guardrail uses. Everything but the event name is
 * optional: real records are redacted, hand-edited and versioned in odd ways, and none of that is a reason to drop one.
 *
 * @param eventId           {@code detail.eventID}, else the EventBridge envelope id
 * @param account           the envelope {@code account}, else {@code recipientAccountId}, else the caller's account
 * @param requestParameters {@code null} in the JSON becomes an empty object
 * @param recipientAccountId {@code detail.recipientAccountId}: the account CloudTrail recorded the call in
 * @param eventSource       {@code detail.eventSource}, e.g. {@code iam.amazonaws.com}
 * @param fingerprint       a digest of the whole {@code detail}: two events with one id and different content are two
 *                          events (a forged copy of a real id never shares the real event's idempotency record)
 */
public record CloudTrailEvent(String eventId, String eventName, Optional<String> eventTime, Optional<String> account,
                              Optional<String> errorCode, Optional<String> errorMessage, Actor actor,
                              Node.Obj requestParameters, Node.Obj responseElements,
                              Optional<String> recipientAccountId, Optional<String> eventSource, String fingerprint) {

    public Optional<String> request(String key) {
        return text(requestParameters.get(key));
    }

    public Optional<String> response(String... path) {
        Node n = responseElements;
        for (String p : path) {
            if (!(n instanceof Node.Obj o)) {
                return Optional.empty();
            }
            n = o.get(p);
        }
        return text(n);
    }

    static Optional<String> text(Node n) {
        return Optional.ofNullable(n == null ? null : Node.scalarText(n)).filter(s -> !s.isEmpty());
    }
}
