package io.iamguardrail.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Artifact locations as GitHub code scanning resolves them: a file under the working directory is a relative,
 * percent-encoded URI against the {@code %SRCROOT%} base (the checkout), and a file outside it an absolute
 * {@code file:} URI, so that neither is misread as a path inside the repository.
 */
final class SarifUris {

    static final String SRCROOT = "%SRCROOT%";

    /** Where an artifact is: its URI, and the base it is relative to when it is relative. */
    record Location(String uri, Optional<String> uriBaseId) {
    }

    private final Path base;

    SarifUris(Path base) {
        this.base = base.toAbsolutePath().normalize();
    }

    /** The {@code originalUriBaseIds} value for {@link #SRCROOT}: the working directory, ending with a slash. */
    String baseUri() {
        String uri = base.toUri().toString();
        return uri.endsWith("/") ? uri : uri + "/";
    }

    Location of(String source) {
        Path abs;
        try {
            abs = base.resolve(source).normalize();
        } catch (InvalidPathException notAPath) {
            return new Location(encode(source), Optional.empty());
        }
        if (abs.startsWith(base)) {
            return new Location(encode(base.relativize(abs).toString().replace('\\', '/')), Optional.of(SRCROOT));
        }
        return new Location(abs.toUri().toString(), Optional.empty());
    }

    /** A relative path as a URI reference: spaces, {@code #}, {@code %} and the like percent-encoded. */
    private static String encode(String path) {
        try {
            return new URI(null, null, path, null).toASCIIString();
        } catch (URISyntaxException e) {
            return path.replace(" ", "%20"); // the multi-argument constructor quotes what it can: not reached in practice
        }
    }
}
