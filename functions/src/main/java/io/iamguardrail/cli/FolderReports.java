package io.iamguardrail.cli;

import io.iamguardrail.audit.organization.AccountReportStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The organization's audits in one folder of a date: {@code <account>/report.json}, {@code report.html} or
 * {@code failed.json}, and {@code organization.json} and {@code .html} beside them. What {@code audit --live
 * --organization} writes and {@code audit --roll-up} reads; the date is the folder's, so it is not part of a path.
 */
public final class FolderReports implements AccountReportStore {

    private final Path dir;

    public FolderReports(Path dir) {
        this.dir = dir;
    }

    /**
     * The folder of accounts {@code given} names: itself, or the latest date folder in it or in its {@code audit/}
     * (the report bucket's layout, copied with {@code aws s3 sync}); empty when none holds an account's folder.
     */
    static Optional<Path> find(Path given) throws IOException {
        if (!accounts(given).isEmpty()) {
            return Optional.of(given);
        }
        Path root = Files.isDirectory(given.resolve("audit")) ? given.resolve("audit") : given;
        try (Stream<Path> s = Files.list(root)) {
            for (Path date : s.filter(p -> p.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}"))
                    .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString())).toList()) {
                if (!accounts(date).isEmpty()) {
                    return Optional.of(date);
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> accounts(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{12}"))
                    .sorted().toList();
        }
    }

    @Override
    public Optional<String> report(String date, String account) {
        return read(folder(account).resolve("report.json"));
    }

    @Override
    public Optional<String> failure(String date, String account) {
        return read(folder(account).resolve("failed.json"));
    }

    @Override
    public List<String> accounts(String date) {
        try {
            return accounts(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list `" + dir + "`", e);
        }
    }

    /** The report this folder held before the run: the next one is compared with it. */
    @Override
    public Optional<String> previousReport(String date, String account) {
        return report(date, account);
    }

    @Override
    public String saveReport(String date, String account, Supplier<String> json, Supplier<String> html) {
        Path folder = folder(account);
        write(folder.resolve("report.json"), json.get());
        write(folder.resolve("report.html"), html.get());
        delete(folder.resolve("failed.json"));
        return folder.toString();
    }

    @Override
    public String saveFailure(String date, String account, String json) {
        Path folder = folder(account);
        write(folder.resolve("failed.json"), json);
        delete(folder.resolve("report.json"));
        delete(folder.resolve("report.html"));
        return folder.resolve("failed.json").toString();
    }

    @Override
    public String saveOrganization(String date, String json, String html) {
        write(dir.resolve("organization.json"), json);
        write(dir.resolve("organization.html"), html);
        return dir.resolve("organization.json").toString();
    }

    private Path folder(String account) {
        if (!account.matches("\\d{12}")) {
            throw new IllegalArgumentException("expected a 12-digit account id for a report's folder but found `" + account + "`");
        }
        return dir.resolve(account);
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read `" + file + "`", e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write `" + file + "`", e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stale `" + file + "`", e);
        }
    }
}
