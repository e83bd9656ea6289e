package io.iamguardrail.aws;

import io.iamguardrail.json.NodeWriter;
import io.iamguardrail.notify.AlertAttributes;
import io.iamguardrail.pipeline.Alert;
import io.iamguardrail.pipeline.AlertPublisher;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes with {@code MessageStructure=json}: {@code default} is the JSON alert, {@code email} the text; message
 * attributes carry severity, rule ids, account (and in a hub its name) and event name for subscription filter policies.
 */
public final class SnsAlertPublisher implements AlertPublisher {

    private final SnsClient sns;
    private final String topicArn;

    public SnsAlertPublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public String publish(Alert alert) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        // SNS refuses an empty attribute value: an unknown one is published as "none".
        alert.attributes().forEach((k, v) -> attributes.put(k, MessageAttributeValue.builder()
                .dataType(AlertAttributes.isArray(k) ? "String.Array" : "String")
                .stringValue(v.isEmpty() ? "none" : v.equals("[]") ? "[\"none\"]" : v).build()));
        String message = "{\"default\":" + NodeWriter.quote(alert.json()) + ",\"email\":" + NodeWriter.quote(alert.email())
                + "}";
        return sns.publish(b -> b.topicArn(topicArn).subject(alert.subject()).messageStructure("json")
                .message(message).messageAttributes(attributes)).messageId();
    }
}
