package io.iamguardrail.tamper;

import java.util.List;

/**
 * A control-plane call of one AWS service that can change one of the stack's resources, as CloudTrail names it, and
 * the request parameters that name the resource it changed.
 *
 * @param eventSource CloudTrail's {@code eventSource}, e.g. {@code lambda.amazonaws.com}
 * @param name        the event name, or its prefix when {@code prefix} (Lambda suffixes API versions:
 *                    {@code UpdateFunctionConfiguration20150331v2})
 * @param fields      request parameters naming the resource, tried in order
 */
public record WatchedCall(String eventSource, String name, boolean prefix, List<String> fields) {

    public WatchedCall {
        fields = List.copyOf(fields);
    }

    static WatchedCall exact(String eventSource, String name, String... fields) {
        return new WatchedCall(eventSource, name, false, List.of(fields));
    }

    static WatchedCall prefix(String eventSource, String name, String... fields) {
        return new WatchedCall(eventSource, name, true, List.of(fields));
    }

    boolean matches(String source, String eventName) {
        return eventSource.equals(source) && (prefix ? eventName.startsWith(name) : eventName.equals(name));
    }

    /** The EventBridge source of the service ({@code aws.lambda} for {@code lambda.amazonaws.com}). */
    public String source() {
        return "aws." + eventSource.substring(0, eventSource.indexOf('.'));
    }

    /** The ARN service segment the service's resources carry. */
    String service() {
        return eventSource.substring(0, eventSource.indexOf('.'));
    }
}
