package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An estimate of how tall Slack's desktop client draws a Block Kit message, in CSS pixels, so that a test and
 * {@code replay --format slack} can tell whether an alert fits one screen without a Slack client.
 *
 * <p>The model, from Slack's desktop layout at the default zoom: body text is 15 px Lato on 22 px lines, headers
 * 18 px bold on 26 px lines, context 12 px on 18 px lines, code blocks 12 px monospace on 18 px lines in a padded box.
 * The text column is taken as 800 px wide: the window of a full-HD display with the channel sidebar and a thread
 * pane open, or a maximised window on a laptop. At about 7.5 px per character that is {@value #TEXT_CHARS}
 * characters a line (fields: two columns of {@value #FIELD_CHARS}); a line wraps after that many characters, which
 * overestimates a little since words wrap earlier only rarely by much. What Slack does not draw (link targets,
 * {@code *} and backticks, entities) is not counted; an emoji counts as three characters.
 *
 * <p>One screen is {@value #SCREEN} px: the message list of the desktop app on a 1920×1080 display, the most common
 * desktop resolution, once the system bar, Slack's title bar, the channel header and the composer are taken away.
 */
public final class SlackHeight {

    /** The message list's height on one screen, in px. */
    public static final int SCREEN = 900;
    /** The app's name and the time above the blocks, and the message's own padding. */
    static final int MESSAGE_CHROME = 38;
    static final int BLOCK_GAP = 8;
    static final int HEADER_LINE = 26;
    static final int HEADER_PADDING = 12;
    static final int HEADER_CHARS = 75;
    static final int TEXT_LINE = 22;
    static final int TEXT_CHARS = 100;
    static final int FIELD_CHARS = 46;
    static final int FIELD_ROW_GAP = 8;
    static final int CODE_LINE = 18;
    static final int CODE_CHARS = 100;
    static final int CODE_PADDING = 18;
    static final int CONTEXT_LINE = 18;
    static final int CONTEXT_CHARS = 125;
    static final int DIVIDER = 17;
    /** A block of a type this model does not know (the guardrail posts none): about an image's height. */
    static final int OTHER = 120;

    private static final Pattern LABELLED_LINK = Pattern.compile("<[^|>]*\\|([^>]*)>");
    private static final Pattern BARE_LINK = Pattern.compile("<([^>]*)>");
    private static final Pattern ENTITY = Pattern.compile("&(amp|lt|gt);");
    private static final Pattern EMOJI = Pattern.compile(":[a-z0-9_+-]+:");

    private SlackHeight() {
    }

    /** The estimated height of the whole message, in px. */
    public static int of(JsonNode message) {
        List<Integer> bottoms = bottoms(message);
        return bottoms.isEmpty() ? MESSAGE_CHROME : bottoms.get(bottoms.size() - 1);
    }

    /** The estimated bottom edge of each block, in px from the top of the message, in the order of the blocks. */
    public static List<Integer> bottoms(JsonNode message) {
        List<Integer> out = new ArrayList<>();
        int y = MESSAGE_CHROME;
        boolean first = true;
        for (JsonNode b : message.path("blocks")) {
            y += (first ? 0 : BLOCK_GAP) + block(b);
            out.add(y);
            first = false;
        }
        return out;
    }

    static int block(JsonNode b) {
        switch (b.path("type").asText()) {
            case "header":
                return rows(b.path("text").path("text").asText(), HEADER_CHARS) * HEADER_LINE + HEADER_PADDING;
            case "divider":
                return DIVIDER;
            case "context": {
                StringBuilder sb = new StringBuilder();
                b.path("elements").forEach(e -> sb.append(e.path("text").asText()).append(' '));
                return rows(sb.toString().strip(), CONTEXT_CHARS) * CONTEXT_LINE;
            }
            case "section": {
                int h = b.has("text") ? section(b.path("text").path("text").asText()) : 0;
                JsonNode fields = b.path("fields");
                for (int i = 0; i < fields.size(); i += 2) {
                    int left = rows(fields.get(i).path("text").asText(), FIELD_CHARS);
                    int right = i + 1 < fields.size() ? rows(fields.get(i + 1).path("text").asText(), FIELD_CHARS) : 0;
                    h += (h > 0 ? FIELD_ROW_GAP : 0) + Math.max(left, right) * TEXT_LINE;
                }
                return h;
            }
            default:
                return OTHER;
        }
    }

    /** A section's text: prose lines and code blocks ({@code ```}) in their own box. */
    static int section(String mrkdwn) {
        String[] parts = mrkdwn.split("```", -1);
        int h = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i % 2 == 1) {
                h += rows(part, CODE_CHARS) * CODE_LINE + CODE_PADDING;
                continue;
            }
            // The line breaks that only open or close a code block draw no line of their own.
            if (i > 0 && part.startsWith("\n")) {
                part = part.substring(1);
            }
            if (i < parts.length - 1 && part.endsWith("\n")) {
                part = part.substring(0, part.length() - 1);
            }
            if (!part.isEmpty()) {
                h += rows(part, TEXT_CHARS) * TEXT_LINE;
            }
        }
        return h;
    }

    /** Drawn lines of {@code mrkdwn} at {@code perLine} characters a line. */
    static int rows(String mrkdwn, int perLine) {
        int rows = 0;
        for (String line : mrkdwn.split("\n", -1)) {
            rows += Math.max(1, (visible(line).length() + perLine - 1) / perLine);
        }
        return rows;
    }

    /** What Slack draws of a line of mrkdwn, character for character (an emoji as three). */
    static String visible(String mrkdwn) {
        String s = LABELLED_LINK.matcher(mrkdwn).replaceAll("$1");
        s = BARE_LINK.matcher(s).replaceAll("$1");
        s = ENTITY.matcher(s).replaceAll("&");
        s = EMOJI.matcher(s).replaceAll("EEE");
        return s.replace("*", "").replace("`", "");
    }
}
