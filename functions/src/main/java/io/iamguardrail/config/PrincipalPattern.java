package io.iamguardrail.config;

import io.iamguardrail.catalog.Glob;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An exemption or break-glass pattern. It is matched against a principal's identity only: its ARN (the live one when
 * known) and its name. Never against a policy name, a target as an alert shows it or any other field of an event:
 * those are chosen by whoever makes the change, so a policy named {@code ops-breakglass} must not exempt anything.
 */
public final class PrincipalPattern {

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** A path segment written out: {@code /break-glass/}, no wildcard in it. */
    private static final Pattern PATH = Pattern.compile("/[^/*?]+/");
    /** ARNs of principals, whose last segment is the name an exemption may give alone. */
    private static final Pattern PRINCIPAL_ARN = Pattern.compile("arn:[^:]+:iam::[^:]*:(role|user|group)/.*");

    private PrincipalPattern() {
    }

    /**
     * Why a pattern cannot be accepted, if it cannot: one starting with a wildcard ({@code *}, or {@code ?} which
     * leads to the same) matches the end of a name anyone allowed to create a role can choose, unless it also names
     * an account or a path.
     */
    public static Optional<String> problem(String pattern) {
        if (pattern.isBlank()) {
            return Optional.of("an empty pattern");
        }
        boolean leadingWildcard = pattern.startsWith("*") || pattern.startsWith("?");
        if (leadingWildcard && !ACCOUNT.matcher(pattern).find() && !PATH.matcher(pattern).find()) {
            return Optional.of("a pattern starting with `" + pattern.charAt(0) + "` that names neither a 12-digit"
                    + " account nor a path (anyone who may create a role can choose a name it matches)");
        }
        return Optional.empty();
    }

    /**
     * Whether the pattern names this principal: its ARN, its template label or the file checked, as given; a pattern
     * that is not an ARN also matches the name of a role, user or group ARN (`break-glass` covers
     * `arn:aws:iam::123456789012:role/ops/break-glass`). Case-insensitive, as IAM names are unique regardless of case.
     */
    public static boolean matches(String pattern, String principal) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String who = principal.toLowerCase(Locale.ROOT);
        if (Glob.matches(p, who)) {
            return true;
        }
        return !p.startsWith("arn:") && PRINCIPAL_ARN.matcher(who).matches()
                && Glob.matches(p, who.substring(who.lastIndexOf('/') + 1));
    }
}
