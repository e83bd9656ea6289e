package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What `sam build` makes of each function, without sam: its makefile workflow copies the function's CodeUri folder
 * to a scratch directory (leaving out .aws-sam and .git), then runs {@code make --makefile <copy>/Makefile
 * build-<LogicalId>} there with ARTIFACTS_DIR set; `sam package` zips ARTIFACTS_DIR. This test does the same and
 * checks that the result is the shrunk jar the invoke tests run, that the java21 runtime would find each handler in
 * it, and that the zip stays under Lambda-friendly size.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SamMakefileBuildTest {

    /** The package goal: the shrunk artifact is about 14 MB; the unshrunk layout was 20 MB. */
    static final long MAX_ZIPPED_BYTES = 15L * 1024 * 1024;

    private final Map<String, String> handlers = new LinkedHashMap<>();
    private Path codeUri;

    @BeforeAll
    void functionsOfTheTemplate() throws IOException {
        JsonNode t = DeployTemplate.template();
        String globalCodeUri = t.path("Globals").path("Function").path("CodeUri").asText("");
        t.path("Resources").properties().forEach(r -> {
            JsonNode fn = r.getValue();
            if (!fn.path("Type").asText().equals("AWS::Serverless::Function")) {
                return;
            }
            assertThat(fn.path("Metadata").path("BuildMethod").asText())
                    .as("template.yaml %s Metadata.BuildMethod", r.getKey()).isEqualTo("makefile");
            String uri = fn.path("Properties").path("CodeUri").asText(globalCodeUri);
            assertThat(uri).as("template.yaml %s CodeUri", r.getKey()).isEqualTo("functions");
            handlers.put(r.getKey(), fn.path("Properties").path("Handler").asText());
        });
        assertThat(handlers).containsKeys("EvaluatorFunction", "NotifierFunction", "AuditFunction");
        codeUri = DeployTemplate.PATH.getParent().resolve("functions");
    }

    @Test
    void eachFunctionsBuildTargetShipsTheShrunkJarWithItsHandler(@TempDir Path work) throws Exception {
        Path scratch = work.resolve("scratch");
        copySource(codeUri, scratch);
        Path shipped = Path.of(System.getProperty("guardrail.lambda.jar"));

        for (Map.Entry<String, String> fn : handlers.entrySet()) {
            Path artifacts = work.resolve("artifacts").resolve(fn.getKey());
            Files.createDirectories(artifacts);
            String log = make(scratch, "build-" + fn.getKey(), artifacts);

            List<String> files = relativeFiles(artifacts);
            assertThat(files).as("ARTIFACTS_DIR of %s after make:\n%s", fn.getKey(), log)
                    .containsExactly("lib/iam-guardrail-lambda.jar");
            assertThat(Files.mismatch(artifacts.resolve("lib/iam-guardrail-lambda.jar"), shipped))
                    .as("%s ships the jar the invoke tests run (%s)", fn.getKey(), shipped).isEqualTo(-1L);
            assertHandlerLoads(artifacts, fn.getKey(), fn.getValue());

            long zipped = zipSize(artifacts, work.resolve(fn.getKey() + ".zip"));
            System.out.printf("sam build %s: %s, zipped %.1f MB%n", fn.getKey(), files,
                    zipped / 1048576.0);
            assertThat(zipped).as("%s deployment package, zipped (bytes)", fn.getKey()).isLessThan(MAX_ZIPPED_BYTES);
        }
    }

    @Test
    void aBuildWithoutArtifactsDirSaysWhatIsMissing(@TempDir Path work) throws Exception {
        Path scratch = work.resolve("scratch");
        copySource(codeUri, scratch);
        ProcessBuilder pb = new ProcessBuilder("make", "--makefile", scratch.resolve("Makefile").toString(),
                "build-EvaluatorFunction").directory(scratch.toFile()).redirectErrorStream(true);
        pb.environment().remove("ARTIFACTS_DIR");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();

        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("expected ARTIFACTS_DIR (sam build sets it) but it is empty");
    }

    /** The java21 runtime's class path: the task root and every jar under lib/. */
    private static void assertHandlerLoads(Path taskRoot, String function, String handler) throws Exception {
        List<URL> path = new ArrayList<>();
        path.add(taskRoot.toUri().toURL());
        try (Stream<Path> jars = Files.list(taskRoot.resolve("lib"))) {
            for (Path j : jars.sorted().toList()) {
                path.add(j.toUri().toURL());
            }
        }
        String cls = handler.substring(0, handler.indexOf("::"));
        String method = handler.substring(handler.indexOf("::") + 2);
        try (URLClassLoader loader = new URLClassLoader(path.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> c = Class.forName(cls, false, loader);
            // Resolving the public methods links every parameter and return type, as the runtime client does.
            List<String> names = Arrays.stream(c.getMethods()).map(Method::getName).toList();
            assertThat(names).as("%s: public methods of %s", function, cls).contains(method);
            assertThat(c.getConstructor()).as("%s: %s has the no-arg constructor Lambda calls", function, cls)
                    .isNotNull();
        }
    }

    private static String make(Path scratch, String target, Path artifacts) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("make", "--makefile", scratch.resolve("Makefile").toString(), target)
                .directory(scratch.toFile()).redirectErrorStream(true);
        pb.environment().put("ARTIFACTS_DIR", artifacts.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.MINUTES)).as("make %s finished", target).isTrue();
        assertThat(p.exitValue()).as("make %s exit status; output:\n%s", target, out).isZero();
        return out;
    }

    /** sam's CopySourceAction: the whole folder, file times kept (so make sees an up-to-date jar as such). */
    private static void copySource(Path from, Path to) throws IOException {
        Set<String> excluded = Set.of(".aws-sam", ".git");
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && excluded.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static List<String> relativeFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    /** The deployment zip as `sam package` makes it from ARTIFACTS_DIR (deflated entries). */
    private static long zipSize(Path root, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (String f : relativeFiles(root)) {
                z.putNextEntry(new ZipEntry(f));
                Files.copy(root.resolve(f), z);
                z.closeEntry();
            }
        }
        return Files.size(zip);
    }
}
