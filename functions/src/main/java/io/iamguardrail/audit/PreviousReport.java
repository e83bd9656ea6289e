package io.iamguardrail.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The findings of the last report (by fingerprint), to tell what is new and what was resolved since. */
public record PreviousReport(Optional<Instant> generatedAt, Map<String, AuditReport.Resolved> findings) {
    public PreviousReport {
        findings = Map.copyOf(findings);
    }
}
