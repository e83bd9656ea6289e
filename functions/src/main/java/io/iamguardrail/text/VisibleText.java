package io.iamguardrail.text;

/**
 * Text from the account (role names, policy text, user agents, event fields) made safe to show to a person. Two kinds
 * of character can make a reader see something other than what is there:
 * <ul>
 *   <li>Unicode format characters (category Cf): bidi overrides and isolates (U+202A-202E, U+2066-2069) reorder
 *       what follows, so a name with U+202E in it reads backwards as a harmless one; zero-width characters (U+200B-200F, U+2060,
 *       U+FEFF) and tag characters (U+E0000-E007F) hide text. Line and paragraph separators (U+2028/2029) break
 *       lines where no newline is seen.</li>
 *   <li>Control characters (Cc): newlines and carriage returns let a value pose as lines of its own; ESC starts a
 *       terminal escape sequence (ESC [2J clears the screen, others retitle the window or rewrite what was
 *       printed).</li>
 * </ul>
 * Each becomes its visible escape as Java and JSON write it (backslash, u, four hex digits per UTF-16 unit, so a pair
 * beyond the BMP; backslash n, r or t for those three), and so do unpaired surrogates. Everything else, other
 * scripts and emoji included, is kept as it is.
 */
public final class VisibleText {

    private VisibleText() {
    }

    /** {@code s} on one line: every hidden character escaped, newlines and tabs included. */
    public static String line(String s) {
        return escape(s, false);
    }

    /** {@code s} with its line breaks ({@code \n}) and tabs kept, every other hidden character escaped. */
    public static String lines(String s) {
        return escape(s, true);
    }

    /** Whether {@code codePoint} is shown escaped: controls, format characters, separators and surrogates. */
    public static boolean isHidden(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE -> true;
            default -> false;
        };
    }

    /** The escape of one UTF-16 unit: backslash n, r or t by name, any other as backslash, u and four hex digits. */
    public static void appendEscape(StringBuilder sb, char c) {
        switch (c) {
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            default -> sb.append(String.format("\\u%04x", (int) c));
        }
    }

    private static String escape(String s, boolean keepLines) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            boolean hidden = isHidden(cp) && !(keepLines && (cp == '\n' || cp == '\t'));
            if (hidden && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (hidden) {
                for (int k = i; k < i + n; k++) {
                    appendEscape(sb, s.charAt(k));
                }
            } else if (sb != null) {
                sb.append(s, i, i + n);
            }
            i += n;
        }
        return sb == null ? s : sb.toString();
    }
}
