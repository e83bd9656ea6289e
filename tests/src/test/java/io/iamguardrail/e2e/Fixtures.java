package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Fixtures under {@code src/test/resources/e2e/}, copied into a temporary working directory, and shared checks. */
final class Fixtures {

    /** Copies fixture {@code resource} (relative to {@code e2e/}) to {@code dir/target} and returns the copy. */
    static Path copy(Path dir, String resource, String target) {
        Path to = dir.resolve(target);
        try (InputStream in = Fixtures.class.getResourceAsStream("/e2e/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test fixture e2e/" + resource);
            }
            Files.createDirectories(to.toAbsolutePath().getParent());
            Files.write(to, in.readAllBytes());
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies fixture {@code resource} to {@code dir} under its own file name. */
    static Path copy(Path dir, String resource) {
        return copy(dir, resource, Path.of(resource).getFileName().toString());
    }

    static Path write(Path dir, String target, String content) {
        Path to = dir.resolve(target);
        try {
            Files.createDirectories(to.toAbsolutePath().getParent());
            Files.writeString(to, content, StandardCharsets.UTF_8);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A crash would show as a Java stack trace on either stream. */
    static void assertNoStackTrace(Cli.Result r) {
        assertThat(r.err()).as("stderr of %s", r).doesNotContain("\tat ").doesNotContain("Exception in thread")
                .doesNotContainPattern("(?m)^\\s*Caused by: ");
        assertThat(r.out()).as("stdout of %s", r).doesNotContain("\tat ").doesNotContain("Exception in thread");
    }

    /** Bad usage: exit 2, nothing on stdout, one line on stderr that says why, no stack trace. */
    static void assertUsageError(Cli.Result r) {
        assertNoStackTrace(r);
        assertThat(r.exit()).as("exit code of %s", r).isEqualTo(2);
        assertThat(r.out()).as("stdout of %s", r).isEmpty();
        assertThat(r.err().strip()).as("stderr of %s", r).isNotBlank();
        assertThat(r.err().strip().lines().count()).as("stderr of %s should be one line", r).isEqualTo(1);
    }

    /** The first finding with this rule id, if any. */
    static Optional<JsonNode> first(List<JsonNode> findings, String ruleId) {
        return findings.stream().filter(f -> f.path("ruleId").asText().equals(ruleId)).findFirst();
    }

    static List<JsonNode> all(List<JsonNode> findings, String ruleId) {
        return findings.stream().filter(f -> f.path("ruleId").asText().equals(ruleId)).toList();
    }

    /** The text of {@code file} from {@code line}:{@code column} (both 1-based) to the end of that line. */
    static String textAt(Path file, int line, int column) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertThat(line).as("line of a finding in %s", file).isBetween(1, lines.size());
            String text = lines.get(line - 1);
            assertThat(column).as("column of a finding at %s:%d", file, line).isBetween(1, text.length());
            return text.substring(column - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Fixtures() {
    }
}
