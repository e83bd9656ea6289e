package io.iamguardrail.audit;

import java.time.Instant;
import java.util.Optional;

/** Where reports are kept (the backup bucket in the Lambda): the latest one is what the next run compares with. */
public interface ReportStore {

    /** The JSON of the most recent report, if any. */
    Optional<String> latestJson();

    /** Stores the JSON and HTML of a report made at {@code at}; returns where (for the summary alert). */
    String save(Instant at, String json, String html);
}
