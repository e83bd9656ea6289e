package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged CLI as a separate process, exactly as a user does: {@code java -jar iam-guardrail.jar ARGS}
 * in a working directory, with a timeout, capturing stdout, stderr and the exit code.
 */
public final class Cli {

    static final long TIMEOUT_SECONDS = 180;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the user sees: exit code, standard output and standard error. */
    public record Result(List<String> command, int exit, String out, String err) {

        /** Standard output parsed as JSON (for {@code --format json} and {@code --format sarif}). */
        public JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON: " + e.getMessage() + "\n" + this, e);
            }
        }

        /** The {@code findings} array of {@code --format json}. */
        List<JsonNode> findings() {
            JsonNode findings = json().get("findings");
            if (findings == null || !findings.isArray()) {
                throw new AssertionError("no top-level `findings` array\n" + this);
            }
            List<JsonNode> list = new ArrayList<>();
            findings.forEach(list::add);
            return list;
        }

        /** The rule ids of the findings, in output order. */
        List<String> ruleIds() {
            return findings().stream().map(f -> f.path("ruleId").asText()).toList();
        }

        @Override
        public String toString() {
            return "$ " + String.join(" ", command.subList(1, command.size())) + "\nexit " + exit
                    + "\n--- stdout ---\n" + abbreviate(out) + "\n--- stderr ---\n" + abbreviate(err);
        }

        private static String abbreviate(String s) {
            return s.length() <= 6000 ? s : s.substring(0, 6000) + "\n... (" + s.length() + " characters)";
        }
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("guardrail.jar", "../functions/target/iam-guardrail.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("expected the packaged CLI at " + jar
                    + " (run `mvn -B verify` from the repository root, which packages functions first)");
        }
        return jar;
    }

    /** Runs {@code java -jar iam-guardrail.jar args...} in {@code workDir}. */
    public static Result run(Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("iam-guardrail-out", ".txt");
            Path err = Files.createTempFile("iam-guardrail-err", ".txt");
            try {
                Process p = new ProcessBuilder(command).directory(workDir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("the CLI did not finish within " + TIMEOUT_SECONDS + " s: " + command);
                }
                return new Result(List.copyOf(command), p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private Cli() {
    }
}
