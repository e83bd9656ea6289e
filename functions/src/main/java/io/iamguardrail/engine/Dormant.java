package io.iamguardrail.engine;

import io.iamguardrail.policy.Condition;
import io.iamguardrail.policy.Statement;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * An Allow statement whose date condition cannot be true today grants nothing today: a {@code DateLessThan} on
 * {@code aws:CurrentTime}, {@code aws:EpochTime} or {@code aws:TokenIssueTime} that is already past (it never
 * becomes true again), or a {@code DateGreaterThan} more than {@link #FAR_FUTURE} ahead. A statement that switches
 * on sooner is not dormant: a grant staged to activate next week is still the grant it will be.
 */
public final class Dormant {

    static final Duration FAR_FUTURE = Duration.ofDays(365);
    private static final List<String> TIME_KEYS = List.of("aws:currenttime", "aws:epochtime", "aws:tokenissuetime");

    private Dormant() {
    }

    /** Why the statement grants nothing at {@code now}, or empty when it may. */
    public static Optional<String> why(Statement s, Instant now) {
        if (!s.isAllow()) {
            return Optional.empty();
        }
        for (Condition c : s.conditions()) {
            if (!TIME_KEYS.contains(c.keyLower()) || c.setOperator() != Condition.SetOperator.NONE || c.values().isEmpty()) {
                continue;
            }
            boolean before = c.operator().equals("DateLessThan") || c.operator().equals("DateLessThanEquals");
            boolean after = c.operator().equals("DateGreaterThan") || c.operator().equals("DateGreaterThanEquals");
            if (!before && !after) {
                continue;
            }
            Instant latest = null;
            Instant earliest = null;
            boolean readable = true;
            for (String v : c.values()) {
                Optional<Instant> t = instant(v);
                if (t.isEmpty()) {
                    readable = false;
                    break;
                }
                latest = latest == null || t.get().isAfter(latest) ? t.get() : latest;
                earliest = earliest == null || t.get().isBefore(earliest) ? t.get() : earliest;
            }
            if (!readable) {
                continue;
            }
            // Several values are alternatives: the condition holds when any of them does.
            if (before && !latest.isAfter(now)) {
                return Optional.of("condition `" + c.key() + "` " + c.written() + " `" + c.values().get(0)
                        + (c.values().size() > 1 ? "`…" : "`") + " is already past, so it grants nothing");
            }
            if (after && earliest.isAfter(now.plus(FAR_FUTURE))) {
                return Optional.of("condition `" + c.key() + "` " + c.written() + " `" + c.values().get(0)
                        + (c.values().size() > 1 ? "`…" : "`") + " is more than a year ahead, so it grants nothing today");
            }
        }
        return Optional.empty();
    }

    /** ISO 8601 date or date-time, or epoch seconds, as IAM's date operators read them. */
    static Optional<Instant> instant(String value) {
        String v = value.trim();
        try {
            if (v.matches("\\d{1,12}")) {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(v)));
            }
            if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return Optional.of(LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            return Optional.of(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException unreadable) {
            return Optional.empty(); // not a date IAM reads either: the condition is left to the other rules
        }
    }
}
