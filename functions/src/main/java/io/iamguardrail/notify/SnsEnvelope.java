package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * The alert inside an SNS notification, accepted only from the alert topic. The Slack queue (and the function, when
 * subscribed directly) can be written to by more than that topic if its policy is ever loosened, and a body shaped
 * like an alert proves nothing: only the envelope SNS wraps around every delivery names the topic it came from. A
 * message that is not such an envelope, or names another topic, is refused with the reason, never posted.
 *
 * <p>Raw message delivery must therefore stay off on the subscription: it drops the envelope.
 */
public final class SnsEnvelope {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN = 200;

    private SnsEnvelope() {
    }

    /**
     * The {@code Message} of {@code body}, an SNS notification (JSON with {@code Type}, {@code TopicArn},
     * {@code Message}) from {@code expectedTopicArn}; throws {@link IllegalArgumentException} saying why otherwise.
     */
    public static String alertFrom(String body, String expectedTopicArn) {
        String expected = "expected an SNS notification from topic `" + expectedTopicArn + "`";
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException(expected + " but the message is empty");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(expected + " but the message is not JSON: refused, not posted");
        }
        if (node == null || !node.isObject() || !node.path("TopicArn").isTextual()) {
            throw new IllegalArgumentException(expected + " but the message has no SNS envelope naming its topic"
                    + " (sent to the queue directly?): refused, not posted");
        }
        String topic = node.path("TopicArn").asText();
        if (!topic.equals(expectedTopicArn)) {
            throw new IllegalArgumentException(expected + " but it names topic `" + shown(topic) + "`: refused, not posted");
        }
        if (!node.path("Type").asText().equals("Notification")) {
            throw new IllegalArgumentException(expected + " but found SNS message type `" + shown(node.path("Type").asText())
                    + "`: only notifications are posted");
        }
        if (!node.path("Message").isTextual()) {
            throw new IllegalArgumentException(expected + " but the notification carries no Message text");
        }
        return node.path("Message").asText();
    }

    private static String shown(String s) {
        return EmailRenderer.line(s.length() > SHOWN ? s.substring(0, SHOWN) + "…" : s);
    }
}
