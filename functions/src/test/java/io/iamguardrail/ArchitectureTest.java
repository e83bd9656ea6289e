package io.iamguardrail;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape docs/architecture.md promises, read from the sources: packages without cycles, the engine without the AWS
 * SDK or Lambda types, no class over 400 lines, no benchmark in production code, imports instead of inline qualified
 * names, and no catch that swallows a failure without a word.
 */
class ArchitectureTest {

    static final Path SOURCES = Path.of("src/main/java/io/iamguardrail");
    static final int MAX_LINES = 400;
    /** Packages that may reach AWS or the Lambda runtime: the adapters, the composition roots and the entry points. */
    static final Set<String> MAY_USE_AWS = Set.of("aws", "wiring", "handlers", "priming", "cli", "local");
    private static final Pattern PROJECT_REFERENCE = Pattern.compile("\\bio\\.iamguardrail\\.([a-z]+)\\.");
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.\"])(?:java|javax|software|com|org|io)\\.[a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)*\\.[A-Z]\\w*");
    private static final Pattern SILENT_CATCH = Pattern.compile("catch \\([^)]*\\) \\{\\s*}");

    static Map<Path, String> code = new TreeMap<>();

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                code.put(SOURCES.relativize(f), Files.readString(f));
            }
        }
        assertThat(code).as("main sources under %s", SOURCES.toAbsolutePath()).hasSizeGreaterThan(100);
    }

    /** The source without comments and string literals: what the compiler links, not what the prose mentions. */
    static String linked(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "")
                .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
    }

    static String packageOf(Path file) {
        return file.getNameCount() == 1 ? "" : file.getName(0).toString();
    }

    static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> deps = new TreeMap<>();
        code.forEach((file, source) -> {
            String from = packageOf(file);
            Set<String> to = deps.computeIfAbsent(from, k -> new TreeSet<>());
            Matcher m = PROJECT_REFERENCE.matcher(linked(source));
            while (m.find()) {
                if (!m.group(1).equals(from)) {
                    to.add(m.group(1));
                }
            }
        });
        return deps;
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        Map<String, Set<String>> deps = dependencies();
        List<String> cycles = new ArrayList<>();
        for (String start : deps.keySet()) {
            // Breadth-first from each package: a path back to it is a cycle, reported with its packages.
            Map<String, String> cameFrom = new TreeMap<>();
            Deque<String> queue = new ArrayDeque<>(deps.get(start));
            deps.get(start).forEach(d -> cameFrom.put(d, start));
            while (!queue.isEmpty()) {
                String p = queue.poll();
                if (p.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String at = cameFrom.get(start); !at.equals(start); at = cameFrom.get(at)) {
                        path.add(0, at);
                    }
                    path.add(0, start);
                    cycles.add(String.join(" -> ", path));
                    break;
                }
                for (String next : deps.getOrDefault(p, Set.of())) {
                    if (!cameFrom.containsKey(next)) {
                        cameFrom.put(next, p);
                        queue.add(next);
                    }
                }
            }
        }
        assertThat(cycles).as("package cycles (each package -> what it imports)").isEmpty();
    }

    @Test
    void onlyTheAdaptersAndEntryPointsReachAwsOrTheLambdaRuntime() {
        List<String> found = new ArrayList<>();
        code.forEach((file, source) -> {
            if (!MAY_USE_AWS.contains(packageOf(file)) && (source.contains("software.amazon.awssdk")
                    || source.contains("com.amazonaws.services.lambda"))) {
                found.add(file.toString());
            }
        });
        assertThat(found).as("classes outside %s using the AWS SDK or Lambda types", MAY_USE_AWS).isEmpty();
    }

    @Test
    void noClassIsOverFourHundredLines() {
        Map<String, Long> over = new TreeMap<>();
        code.forEach((file, source) -> {
            long lines = source.lines().count();
            if (lines > MAX_LINES) {
                over.put(file.toString(), lines);
            }
        });
        assertThat(over).as("classes over %d lines", MAX_LINES).isEmpty();
    }

    @Test
    void benchmarksLiveOutsideProductionCode() {
        assertThat(code.keySet().stream().map(Path::toString).filter(f -> f.contains("Bench")))
                .as("benchmark mains belong to functions/src/test/java/io/iamguardrail/bench").isEmpty();
    }

    @Test
    void typesAreImportedNotQualifiedInline() {
        List<String> found = new ArrayList<>();
        code.forEach((file, source) -> {
            String body = linked(source).lines().filter(l -> !l.startsWith("import ") && !l.startsWith("package "))
                    .reduce("", (a, b) -> a + "\n" + b);
            Matcher m = QUALIFIED.matcher(body);
            while (m.find()) {
                found.add(file + ": " + m.group());
            }
        });
        assertThat(found).as("inline fully qualified names").isEmpty();
    }

    @Test
    void everyCatchActsOrSaysWhyItNeedNot() {
        List<String> found = new ArrayList<>();
        code.forEach((file, source) -> {
            // Comments stay: a catch whose only content is the reason it has nothing to do is a decision, not silence.
            Matcher m = SILENT_CATCH.matcher(source.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\""));
            while (m.find()) {
                found.add(file + ": " + m.group());
            }
        });
        assertThat(found).as("empty catch blocks (act: record or rethrow; or say in a comment why nothing is to be done)").isEmpty();
    }
}
