package io.iamguardrail.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.text.VisibleText;

import java.util.List;

/**
 * The Block Kit primitives every Slack message of the guardrail is built from, and Slack's limits on them (Block Kit
 * reference: header text 150 characters, section text 3000, at most 10 fields of 2000 each, 50 blocks per message).
 * A message is top-level {@code blocks} with the top-level {@code text} as the notification preview: no legacy
 * {@code attachments}, so the severity shows as the header's emoji rather than a colour bar.
 *
 * <p>Each text passes through {@link VisibleText} once more here, so no renderer can let a bidi override or a control
 * character through, and is cut to its limit with a visible marker.
 */
public final class SlackBlocks {

    static final int HEADER_MAX = 150;
    static final int SECTION_MAX = 3000;
    static final int FIELD_MAX = 2000;
    static final int FIELDS_MAX = 10;
    static final int CONTEXT_MAX = 2000;
    static final int PREVIEW_MAX = 3000;
    static final int MAX_BLOCKS = 50;
    /**
     * Slack folds a section's text behind "Show more" past about 700 characters (the long-standing threshold for
     * message text; Slack does not document an exact figure). Sections meant to be read at a glance (each finding,
     * the remediation, the undo) stay under it.
     */
    public static final int SHOW_MORE = 700;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackBlocks() {
    }

    /** The message: {@code text} (the notification preview) and {@code blocks}. */
    static String message(String preview, List<ObjectNode> blocks) {
        if (blocks.size() > MAX_BLOCKS) {
            throw new IllegalStateException("expected at most " + MAX_BLOCKS + " blocks but built " + blocks.size());
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("text", Mrkdwn.cut(VisibleText.lines(preview), PREVIEW_MAX));
        ArrayNode array = root.putArray("blocks");
        blocks.forEach(array::add);
        return root.toString();
    }

    /** A message as written by {@link #message}, read back (to estimate its height). */
    static JsonNode read(String message) {
        try {
            return JSON.readTree(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("expected the message just written to be JSON: " + e.getMessage(), e);
        }
    }

    static ObjectNode header(String raw) {
        ObjectNode b = JSON.createObjectNode().put("type", "header");
        String plain = VisibleText.line(raw);
        String text = plain.length() <= HEADER_MAX ? plain : plain.substring(0, HEADER_MAX - 1) + "…";
        b.putObject("text").put("type", "plain_text").put("text", text).put("emoji", true);
        return b;
    }

    static ObjectNode section(String mrkdwn) {
        ObjectNode b = JSON.createObjectNode().put("type", "section");
        b.putObject("text").put("type", "mrkdwn").put("text", Mrkdwn.cut(VisibleText.lines(mrkdwn), SECTION_MAX));
        return b;
    }

    static ObjectNode fields(List<String> mrkdwn) {
        ObjectNode b = JSON.createObjectNode().put("type", "section");
        ArrayNode fields = b.putArray("fields");
        mrkdwn.stream().limit(FIELDS_MAX).forEach(f -> fields.addObject().put("type", "mrkdwn")
                .put("text", Mrkdwn.cut(VisibleText.lines(f), FIELD_MAX)));
        return b;
    }

    static ObjectNode context(String mrkdwn) {
        ObjectNode b = JSON.createObjectNode().put("type", "context");
        b.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", Mrkdwn.cut(VisibleText.lines(mrkdwn), CONTEXT_MAX));
        return b;
    }

    static ObjectNode divider() {
        return JSON.createObjectNode().put("type", "divider");
    }
}
