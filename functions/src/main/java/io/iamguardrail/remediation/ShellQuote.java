package io.iamguardrail.remediation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Commands printed for a person to paste into a shell. Names, paths and ids come from events and IAM, and an IAM
 * path may hold {@code $ ( ) ; | `} and quotes: every word that is not plainly safe is single-quoted as POSIX sh
 * reads it, so it arrives as one argument and nothing in it runs.
 */
public final class ShellQuote {

    /** Words no POSIX shell expands or splits: no quoting needed, so common commands stay readable. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {
    }

    /**
     * One word as the shell must read it: itself when safe, else in single quotes, each single quote written as
     * {@code '\''} (close, escaped quote, reopen: inside single quotes nothing, not even a backslash, is special).
     */
    public static String quote(String word) {
        if (SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** A command line: each word quoted as needed, joined by spaces. */
    public static String command(String... words) {
        return command(List.of(words));
    }

    public static String command(List<String> words) {
        List<String> quoted = new ArrayList<>(words.size());
        words.forEach(w -> quoted.add(quote(w)));
        return String.join(" ", quoted);
    }
}
