package io.iamguardrail.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

/**
 * What the real-time evaluator has already alerted on, by {@link io.iamguardrail.pipeline.AlertedFindings#key}
 * (principal ARN without path and rule id). A finding alerted in real time is known to the weekly report even when
 * the previous report did not have it.
 */
public interface KnownAlerts {

    /** The alerts recorded for those of {@code keys} that have one; throws when the store cannot be read. */
    Map<String, RealTimeAlert> find(Set<String> keys);

    KnownAlerts NONE = keys -> Map.of();

    /** One recorded alert: which event, when, at what severity. */
    record RealTimeAlert(String eventId, Instant alertedAt, String severity) {

        /** How the report explains why the finding is known. */
        public String describe() {
            return "alerted in real time on " + alertedAt.atZone(ZoneOffset.UTC).toLocalDate() + ", event " + eventId;
        }
    }
}
