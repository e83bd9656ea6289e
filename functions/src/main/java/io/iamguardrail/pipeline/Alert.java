package io.iamguardrail.pipeline;

import io.iamguardrail.notify.AlertAttributes;
import io.iamguardrail.notify.AlertDocument;
import io.iamguardrail.notify.EmailRenderer;

import java.util.Map;
import java.util.Optional;

/**
 * One SNS message: {@code json} is the schema-versioned document for machines (the {@code default} of
 * {@code MessageStructure=json}), {@code email} the same facts as plain text, {@code filterAttributes} the message
 * attributes for subscription filter policies.
 *
 * @param document the alert document {@code json} and {@code email} were written from; empty for a message of
 *                 another schema (the audit summary)
 */
public record Alert(String subject, String json, String email, AlertAttributes filterAttributes,
                    Optional<AlertDocument> document) {

    /** A message of another schema than the alert's, written by its producer. */
    public Alert(String subject, String json, String email, AlertAttributes filterAttributes) {
        this(subject, json, email, filterAttributes, Optional.empty());
    }

    /** The message of an alert document: its JSON and its e-mail, each written once. */
    public static Alert of(String subject, AlertDocument document, AlertAttributes filterAttributes) {
        return new Alert(subject, document.toJson(), EmailRenderer.render(document), filterAttributes,
                Optional.of(document));
    }

    /** The message attributes as published: name to text. */
    public Map<String, String> attributes() {
        return filterAttributes.asText();
    }
}
