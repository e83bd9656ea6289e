package io.iamguardrail.aws;

import io.iamguardrail.audit.ReportStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reports in S3 under {@code audit/<yyyy-MM-ddTHH-mm-ss.SSSZ>/report.json} and {@code report.html}: the timestamps sort
 * as text, so the latest report is the greatest key. The bucket's default encryption applies.
 */
public final class S3ReportStore implements ReportStore {

    static final String PREFIX = "audit/";
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final S3Client s3;
    private final String bucket;

    public S3ReportStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Optional<String> latestJson() {
        Optional<String> key = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(PREFIX)).contents().stream()
                .map(S3Object::key).filter(S3ReportStore::ownReport).max(Comparator.naturalOrder());
        return key.map(k -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(k)).asString(StandardCharsets.UTF_8));
    }

    /**
     * {@code audit/<timestamp>/report.json}: the account's own reports. A member account's report of an organization
     * audit ({@code audit/<date>/<account>/report.json}) is never what the hub's own account is compared with.
     */
    static boolean ownReport(String key) {
        return key.endsWith("/report.json") && key.split("/").length == 3;
    }

    /** The folder of the report made at {@code at}; the offline audit names the same keys. */
    public static String folder(Instant at) {
        return PREFIX + STAMP.format(at) + "/";
    }

    @Override
    public String save(Instant at, Supplier<String> json, Supplier<String> html) {
        String folder = folder(at);
        s3.putObject(b -> b.bucket(bucket).key(folder + "report.json").contentType("application/json"),
                Utf8Body.of(json.get(), "application/json"));
        s3.putObject(b -> b.bucket(bucket).key(folder + "report.html").contentType("text/html; charset=utf-8"),
                Utf8Body.of(html.get(), "text/html; charset=utf-8"));
        return "s3://" + bucket + "/" + folder;
    }

}
