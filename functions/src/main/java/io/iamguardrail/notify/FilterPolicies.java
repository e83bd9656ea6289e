package io.iamguardrail.notify;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * SNS subscription filter policies on the alert's message attributes. SNS cannot compare severities, so "from HIGH
 * up" is the list of severities at or above it, matched against the {@code severity} attribute.
 */
public final class FilterPolicies {

    private FilterPolicies() {
    }

    /** {@code {"severity":["CRITICAL","HIGH"]}} for {@code HIGH}. */
    public static String severityAtLeast(Severity min) {
        return "{\"" + AlertAttributes.SEVERITY + "\":" + Arrays.stream(Severity.values()).filter(s -> s.atLeast(min))
                .map(s -> "\"" + s + "\"").collect(Collectors.joining(",", "[", "]")) + "}";
    }
}
