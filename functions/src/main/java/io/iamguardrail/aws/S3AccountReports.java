package io.iamguardrail.aws;

import io.iamguardrail.audit.organization.AccountReportStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The organization's audits in the report bucket: {@code audit/<date>/<account>/report.json}, {@code report.html} or
 * {@code failed.json}, and {@code audit/<date>/organization.json} and {@code .html}. Keys are made only from a
 * {@code yyyy-MM-dd} date and a twelve-digit account, so nothing of one account lands under another's folder.
 */
public final class S3AccountReports implements AccountReportStore {

    /** How many earlier dates are tried for an account's previous report (an account may have missed a week). */
    static final int DATES_TRIED = 8;

    private final S3Client s3;
    private final String bucket;

    public S3AccountReports(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Optional<String> report(String date, String account) {
        return get(folder(date, account) + "report.json");
    }

    @Override
    public Optional<String> failure(String date, String account) {
        return get(folder(date, account) + "failed.json");
    }

    @Override
    public List<String> accounts(String date) {
        String prefix = dateFolder(date);
        return folders(prefix).map(p -> p.substring(prefix.length(), p.length() - 1)).sorted().toList();
    }

    @Override
    public Optional<String> previousReport(String date, String account) {
        List<String> earlier = folders(S3ReportStore.PREFIX)
                .map(p -> p.substring(S3ReportStore.PREFIX.length(), p.length() - 1))
                .filter(d -> d.matches("\\d{4}-\\d{2}-\\d{2}") && d.compareTo(date) < 0)
                .sorted(Comparator.reverseOrder()).limit(DATES_TRIED).toList();
        for (String d : earlier) {
            Optional<String> report = report(d, account);
            if (report.isPresent()) {
                return report;
            }
        }
        return Optional.empty();
    }

    @Override
    public String saveReport(String date, String account, Supplier<String> json, Supplier<String> html) {
        String folder = folder(date, account);
        put(folder + "report.json", json.get(), "application/json");
        put(folder + "report.html", html.get(), "text/html; charset=utf-8");
        return "s3://" + bucket + "/" + folder;
    }

    @Override
    public String saveFailure(String date, String account, String json) {
        String key = folder(date, account) + "failed.json";
        put(key, json, "application/json");
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public String saveOrganization(String date, String json, String html) {
        String folder = dateFolder(date);
        put(folder + "organization.json", json, "application/json");
        put(folder + "organization.html", html, "text/html; charset=utf-8");
        return "s3://" + bucket + "/" + folder + "organization.json";
    }

    /** {@code audit/<date>/<account>/}; anything but a date and an account id is refused. */
    static String folder(String date, String account) {
        if (account == null || !account.matches("\\d{12}")) {
            throw new IllegalArgumentException("expected a 12-digit account id for a report's folder but found `"
                    + account + "`");
        }
        return dateFolder(date) + account + "/";
    }

    static String dateFolder(String date) {
        if (date == null || !date.matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new IllegalArgumentException("expected a date as yyyy-MM-dd for a report's folder but found `" + date + "`");
        }
        return S3ReportStore.PREFIX + date + "/";
    }

    private Stream<String> folders(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/")).commonPrefixes().stream()
                .map(CommonPrefix::prefix);
    }

    private Optional<String> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    private void put(String key, String body, String type) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(type), Utf8Body.of(body, type));
    }
}
