package io.iamguardrail.notify;

import io.iamguardrail.text.VisibleText;

/**
 * Slack mrkdwn for text we do not control. Slack reads {@code <...>} as a link, mention or {@code <!channel>}, and
 * {@code &} starts an entity: escaping the three control characters (as Slack documents) leaves nothing a role name,
 * a policy or a user agent can turn into a mention, a ping or a disguised link. Backticks are replaced inside code
 * spans so that a value cannot close its span. Control and format characters (bidi overrides, zero-width characters,
 * ESC) become visible escapes first ({@link VisibleText}); line breaks stay.
 */
public final class Mrkdwn {

    /** Appended where text was cut: the reader sees that something is missing and how much. */
    static final String CUT = "… [truncated]";

    private Mrkdwn() {
    }

    /** {@code &}, {@code <} and {@code >} as Slack's entities. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        appendEscaped(sb, s);
        return sb.toString();
    }

    /** An inline code span holding {@code s}, escaped, with backticks replaced. */
    public static String code(String s) {
        return "`" + escape(s.replace('`', '\'')) + "`";
    }

    /** Escapes {@code s}, cut so that the result is at most {@code max} characters, with a visible marker. */
    public static String escape(String s, int max) {
        return cut(escape(s), max);
    }

    /**
     * {@code s} (already mrkdwn) at most {@code max} characters long; a cut never splits an entity such as
     * {@code &amp;} or a surrogate pair, and ends with the marker.
     */
    public static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Math.max(0, max - CUT.length());
        int amp = s.lastIndexOf('&', end);
        if (amp >= 0 && amp > end - 5 && s.indexOf(';', amp) >= end) {
            end = amp;
        }
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + CUT;
    }

    /** A Slack link {@code <url|label>}; the url must be percent-encoded (see {@link ConsoleLinks}). */
    public static String link(String url, String label) {
        if (url.indexOf('|') >= 0 || url.indexOf('>') >= 0 || url.indexOf('<') >= 0) {
            throw new IllegalArgumentException("expected a percent-encoded URL for a Slack link but found a `|`, `<` or `>` in it");
        }
        return "<" + url + "|" + escape(label).replace('|', '¦') + ">";
    }

    private static void appendEscaped(StringBuilder sb, String raw) {
        String s = VisibleText.lines(raw);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                default -> sb.append(c);
            }
        }
    }
}
