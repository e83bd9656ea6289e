package io.iamguardrail.aws;

import io.iamguardrail.pipeline.Alert;
import io.iamguardrail.pipeline.AlertPublisher;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes with {@code MessageStructure=json}: {@code default} is the JSON alert, {@code email} the text; message
 * attributes carry severity, rule ids, account and event name for subscription filter policies.
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
        // A value written as a JSON array (ruleIds) is published as String.Array, so filter policies match one element.
        alert.attributes().forEach((k, v) -> attributes.put(k, MessageAttributeValue.builder()
                .dataType(v.startsWith("[") ? "String.Array" : "String")
                .stringValue(v.isEmpty() ? "none" : v.equals("[]") ? "[\"none\"]" : v).build()));
        String message = "{\"default\":" + quote(alert.json()) + ",\"email\":" + quote(alert.email()) + "}";
        return sns.publish(b -> b.topicArn(topicArn).subject(alert.subject()).messageStructure("json")
                .message(message).messageAttributes(attributes)).messageId();
    }

    /** A JSON string literal. */
    public static String quoteJson(String s) {
        return quote(s);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
