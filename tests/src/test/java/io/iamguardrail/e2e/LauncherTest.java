package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bin/iam-guardrail as a user (or CI) runs it: the same answers and exit codes as `java -jar`, an archive written by
 * the first run into a private cache folder and used from then on, and runs that never depend on a flag the JVM
 * knows or on a cache folder others can write to.
 */
class LauncherTest {

    static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {
    }

    static Run launch(Path cache, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", ROOT.resolve("bin/iam-guardrail").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().put("IAM_GUARDRAIL_CACHE", cache.toString());
        pb.environment().put("IAM_GUARDRAIL_JAR", Cli.jar().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("launcher-out", ".txt");
        Path err = Files.createTempFile("launcher-err", ".txt");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static List<String> archives(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jsa")).sorted().toList();
        }
    }

    @Test
    void itAnswersLikeJavaJarAndUsesTheArchiveItWroteOnTheFirstRun(@TempDir Path home) throws Exception {
        Path cache = home.resolve("cache");
        Cli.Result plain = Cli.run(ROOT, "check", "--format", "json", "--account", "111122223333", "functions/examples");

        Run first = launch(cache, Map.of(), "check", "--format", "json", "--account", "111122223333", "functions/examples");
        List<String> written = archives(cache);
        Run second = launch(cache, Map.of(), "check", "--format", "json", "--account", "111122223333", "functions/examples");

        for (Run r : List.of(first, second)) {
            assertThat(r.exit()).as(r.err()).isEqualTo(plain.exit()).isEqualTo(1);
            assertThat(findings(r.out())).isEqualTo(findings(plain.out()));
            assertThat(r.err()).as("nothing from the JVM on stderr").isEmpty();
        }
        assertThat(written).as("the first run's archive").singleElement().asString().startsWith("check-");
        assertThat(archives(cache)).isEqualTo(written);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
    }

    @Test
    void badUsageStillExitsTwoWithOneLine(@TempDir Path home) throws Exception {
        Run r = launch(home.resolve("cache"), Map.of(), "check", "--fail-on", "SEVERE", "functions/examples");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString().startsWith("iam-guardrail: --fail-on:");
    }

    @Test
    void aFlagTheJvmDoesNotKnowIsIgnoredNotFatal(@TempDir Path home) throws Exception {
        Run r = launch(home.resolve("cache"), Map.of("IAM_GUARDRAIL_JAVA_OPTS", "-XX:+SomeFlagNoJvmHas"), "rules");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ADMIN_ACCESS");
    }

    @Test
    void aCacheFolderOthersCanWriteToIsNeverUsed(@TempDir Path home) throws Exception {
        // The attack: plant an archive in a cache folder shared with other users, hoping the next run maps it.
        Path shared = Files.createDirectory(home.resolve("shared-cache"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        Run r = launch(shared, Map.of(), "rules");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ADMIN_ACCESS");
        assertThat(archives(shared)).as("no archive written to, or read from, a folder others can write to").isEmpty();
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx------"));
        launch(shared, Map.of(), "rules");
        assertThat(archives(shared)).as("the same folder once private").hasSize(1);
    }

    @Test
    void itRunsOnAJdkWithoutJmods(@TempDir Path home) throws Exception {
        Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        assumeTrue(Files.isExecutable(jdk25.resolve("bin/java")), "skipped: no Temurin 25 at " + jdk25);
        Run r = launch(home.resolve("cache"), Map.of("JAVA_HOME", jdk25.toString()), "check", "--format", "json",
                "functions/examples/ci-user-policy.json");

        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(findings(r.out())).isNotEmpty();
        assertThat(archives(home.resolve("cache"))).hasSize(1);
    }

    @Test
    void invokeAnswersOnStdoutAndLogsOnStderrLikeSamLocalInvoke(@TempDir Path home) throws Exception {
        Run r = launch(home.resolve("cache"), Map.of(), "invoke", "EvaluatorFunction", "-e",
                "events/attach-role-policy-admin.json", "--env-vars", "events/env.json");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).path("verdict").asText()).isEqualTo("ALERT");
        assertThat(r.err()).contains("START RequestId: ", "END RequestId: ", "REPORT RequestId: ",
                "\"offline\":\"not published\"", "CRITICAL ADMIN_ACCESS");
    }

    private static List<String> findings(String json) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode f : JSON.readTree(json).path("findings")) {
            out.add(f.path("ruleId").asText() + " " + f.path("source").asText() + " " + f.path("location").path("pointer").asText());
        }
        return out;
    }
}
