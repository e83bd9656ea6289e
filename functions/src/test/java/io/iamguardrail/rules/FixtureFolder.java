package io.iamguardrail.rules;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder of rule fixtures: the source tree when the tests run from the module (Maven's working directory), so that a
 * fixture renamed or deleted there does not live on as a stale copy in target/test-classes; else the classpath.
 */
final class FixtureFolder {

    private FixtureFolder() {
    }

    static Path of(String name) throws URISyntaxException {
        Path source = Path.of("src", "test", "resources", name);
        if (Files.isDirectory(source)) {
            return source.toAbsolutePath();
        }
        return Path.of(FixtureFolder.class.getResource("/" + name).toURI());
    }
}
