package io.iamguardrail.rules;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A folder of rule fixtures: the source tree when the tests run from the module (Maven's working directory), so that a
 * fixture renamed or deleted there does not live on as a stale copy in target/test-classes; else the classpath.
 */
final class FixtureFolder {

    private FixtureFolder() {
    }

    /** Whether the rule's {@code pass} or {@code fail} folder under {@code root} holds a JSON fixture. */
    static boolean hasFixtures(Path root, String ruleId, String side) throws IOException {
        Path dir = root.resolve(ruleId).resolve(side);
        try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            return files.anyMatch(p -> p.toString().endsWith(".json"));
        }
    }

    static Path of(String name) throws URISyntaxException {
        Path source = Path.of("src", "test", "resources", name);
        if (Files.isDirectory(source)) {
            return source.toAbsolutePath();
        }
        return Path.of(FixtureFolder.class.getResource("/" + name).toURI());
    }
}
