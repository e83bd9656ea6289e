package io.iamguardrail.pipeline;

import java.util.Map;

/**
 * One SNS message: {@code json} is the schema-versioned document for machines (the {@code default} of
 * {@code MessageStructure=json}), {@code email} the same facts as plain text, {@code attributes} for subscription
 * filter policies.
 */
public record Alert(String subject, String json, String email, Map<String, String> attributes) {
    public Alert {
        attributes = Map.copyOf(attributes);
    }
}
