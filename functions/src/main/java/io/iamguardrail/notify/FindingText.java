package io.iamguardrail.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A finding's message as Slack shows it: short enough that the fix after it stays in view. A privilege-escalation
 * finding that names many methods ("allows privilege escalation by 26 methods: `Assume a more privileged role`
 * (sts-assume-role: `sts:AssumeRole`); ...; and 22 more (ids)") becomes a count with three examples; any other
 * message longer than its budget is cut with a visible marker. The full message stays in the e-mail and the JSON.
 */
final class FindingText {

    static final int EXAMPLES = 3;
    private static final Pattern METHODS = Pattern.compile("(.*? privilege escalation by )(?:(\\d+) methods: )?(`.*)",
            Pattern.DOTALL);
    /** One method as the rule describes it: {@code `name` (id: `action` + `action`)}. */
    private static final Pattern METHOD = Pattern.compile("`([^`]+)` \\(([a-z0-9-]+): [^)]*\\)");
    /** The rule's tail naming the methods beyond those described: {@code ; and 22 more (id, id, ...)}. */
    private static final Pattern MORE = Pattern.compile("; and (\\d+) more \\(([a-z0-9, -]+)\\)");

    private FindingText() {
    }

    /** The message as mrkdwn, at most {@code max} characters. */
    static String summary(String message, int max) {
        Matcher m = METHODS.matcher(message);
        if (m.matches()) {
            List<String> names = new ArrayList<>();
            Matcher each = METHOD.matcher(m.group(3));
            int end = 0;
            while (each.find() && each.start() == end) {
                names.add(each.group(1));
                end = each.end();
                if (m.group(3).startsWith("; ", end) && m.group(3).startsWith("`", end + 2)) {
                    end += 2;
                }
            }
            String rest = m.group(3).substring(end);
            int total = names.size();
            Matcher more = MORE.matcher(rest);
            if (more.lookingAt()) {
                total += Integer.parseInt(more.group(1));
                rest = rest.substring(more.end());
            }
            if (total > 1 && total <= EXAMPLES && names.size() == total) {
                return words(Mrkdwn.escape(m.group(1)) + total + " methods: "
                        + String.join(", ", names.stream().map(Mrkdwn::code).toList()) + Mrkdwn.escape(rest), max);
            }
            if (!names.isEmpty() && total > 1) {
                // As many examples as fit: a count with one whole example reads better than three cut.
                String text = "";
                for (int k = Math.min(EXAMPLES, names.size()); k >= 1; k--) {
                    text = Mrkdwn.escape(m.group(1)) + total + " methods, e.g. "
                            + String.join(", ", names.stream().limit(k).map(Mrkdwn::code).toList())
                            + Mrkdwn.escape(rest) + " (all " + total + " in the e-mail and the JSON alert)";
                    if (text.length() <= max) {
                        break;
                    }
                }
                return words(text, max);
            }
        }
        return words(Mrkdwn.escape(message), max);
    }

    /**
     * {@code mrkdwn} at most {@code max} characters, cut after a whole word when one ends near the limit (never inside
     * an entity or an open code span) and marked as cut.
     */
    static String words(String mrkdwn, int max) {
        if (mrkdwn.length() <= max) {
            return mrkdwn;
        }
        int limit = max - Mrkdwn.CUT.length();
        int space = mrkdwn.lastIndexOf(' ', limit);
        if (space < limit - 40) {
            return Mrkdwn.cut(mrkdwn, max);
        }
        String head = mrkdwn.substring(0, space);
        // An odd number of backticks leaves a code span open: close it before the marker.
        boolean open = head.chars().filter(c -> c == '`').count() % 2 == 1;
        return open && head.length() + 1 + Mrkdwn.CUT.length() <= max ? head + "`" + Mrkdwn.CUT
                : open ? Mrkdwn.cut(mrkdwn, max) : head + Mrkdwn.CUT;
    }
}
