package io.iamguardrail.catalog;

/** IAM wildcard matching: {@code *} matches any run of characters (also none), {@code ?} exactly one. */
public final class Glob {

    /** In the first pattern of {@link #intersects}: any run of characters without {@code /} or {@code :}. */
    public static final char SEGMENT = '\u0001';

    private Glob() {
    }

    /** Both arguments are expected in the same case; IAM action matching lower-cases both first. */
    public static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /**
     * Whether some string matches both patterns, where {@code *} in either may stand for any run of characters.
     * Used to ask whether a resource written in a policy can be of a resource type's ARN template.
     */
    public static boolean intersects(String a, String b) {
        if (a.length() > 2048 || b.length() > 2048) {
            return true; // longer than any ARN IAM accepts: do not spend time proving a mismatch
        }
        int n = a.length();
        int m = b.length();
        // reachable[i][j]: a[i..] and b[j..] can still produce a common string.
        boolean[][] memo = new boolean[n + 1][m + 1];
        boolean[][] seen = new boolean[n + 1][m + 1];
        return intersect(a, b, 0, 0, memo, seen);
    }

    private static boolean intersect(String a, String b, int i, int j, boolean[][] memo, boolean[][] seen) {
        if (seen[i][j]) {
            return memo[i][j];
        }
        seen[i][j] = true;
        boolean result;
        if (i == a.length() && j == b.length()) {
            result = true;
        } else if (i < a.length() && a.charAt(i) == SEGMENT) {
            result = intersect(a, b, i + 1, j, memo, seen)
                    || (j < b.length() && b.charAt(j) != '/' && b.charAt(j) != ':' && intersect(a, b, i, j + 1, memo, seen));
        } else if (i < a.length() && a.charAt(i) == '*') {
            result = intersect(a, b, i + 1, j, memo, seen)
                    || (j < b.length() && (b.charAt(j) != '*' ? intersect(a, b, i, j + 1, memo, seen)
                    : intersect(a, b, i, j + 1, memo, seen) || intersect(a, b, i + 1, j, memo, seen)));
        } else if (j < b.length() && b.charAt(j) == '*') {
            result = intersect(a, b, i, j + 1, memo, seen)
                    || (i < a.length() && intersect(a, b, i + 1, j, memo, seen));
        } else if (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            result = (x == y || x == '?' || y == '?') && intersect(a, b, i + 1, j + 1, memo, seen);
        } else {
            result = false;
        }
        memo[i][j] = result;
        return result;
    }
}
