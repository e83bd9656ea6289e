package io.iamguardrail.audit;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/** Where reports are kept (the backup bucket in the Lambda): the latest one is what the next run compares with. */
public interface ReportStore {

    /** The JSON of the most recent report, if any. */
    Optional<String> latestJson();

    /**
     * Stores the JSON and HTML of a report made at {@code at}; returns where (for the summary alert). Each text is
     * written when the store asks for it and dropped once stored: for an account of thousands of roles each is tens
     * of megabytes, and the two held at once with the upload outgrew the heap of a 1,024 MB function.
     */
    String save(Instant at, Supplier<String> json, Supplier<String> html);
}
