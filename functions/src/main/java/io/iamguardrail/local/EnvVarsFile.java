package io.iamguardrail.local;

import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An environment file in SAM CLI's {@code --env-vars} format: {@code {"Parameters": {...}}} applies to every
 * function, {@code {"<LogicalId>": {...}}} to one, which wins. As with SAM CLI, only variables the template declares
 * for the function are set; the others are reported, never silently dropped.
 */
public final class EnvVarsFile {

    /** The function's environment after the overlay, and the names the file gave that the function does not declare. */
    public record Overlay(Map<String, String> environment, Set<String> ignored) {
        public Overlay {
            environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
            ignored = Set.copyOf(ignored);
        }
    }

    private final Path file;
    private final Node.Obj root;

    private EnvVarsFile(Path file, Node.Obj root) {
        this.file = file;
        this.root = root;
    }

    public static EnvVarsFile read(Path file) throws LocalException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new LocalException("cannot read --env-vars `" + file + "`: " + e.getMessage());
        }
        try {
            if (NodeReader.readJson(bytes) instanceof Node.Obj o) {
                for (Map.Entry<String, Node> section : o.fields().entrySet()) {
                    if (!(section.getValue() instanceof Node.Obj)) {
                        throw new LocalException("expected --env-vars `" + file + "` to map `" + section.getKey()
                                + "` (Parameters or a function's logical id) to an object of variables but found "
                                + section.getValue().kind() + " at " + section.getValue().at());
                    }
                }
                return new EnvVarsFile(file, o);
            }
            throw new LocalException("expected --env-vars `" + file + "` to be a JSON object such as "
                    + "{\"Parameters\": {\"NAME\": \"value\"}} but it is not");
        } catch (NodeReadException e) {
            throw new LocalException("cannot read --env-vars `" + file + "`: " + e.getMessage());
        }
    }

    public Overlay apply(LocalTemplate.Function function) throws LocalException {
        Map<String, String> env = new LinkedHashMap<>(function.environment());
        Set<String> ignored = new TreeSet<>();
        for (String section : new String[] {"Parameters", function.logicalId()}) {
            if (!(root.get(section) instanceof Node.Obj values)) {
                continue;
            }
            for (Map.Entry<String, Node> v : values.fields().entrySet()) {
                String value = scalar(v.getValue());
                if (value == null) {
                    throw new LocalException("expected `" + v.getKey() + "` in --env-vars `" + file
                            + "` to be a string, number or boolean but found " + v.getValue().kind() + " at "
                            + v.getValue().at());
                }
                if (function.environment().containsKey(v.getKey()) || function.unresolved().contains(v.getKey())) {
                    env.put(v.getKey(), value);
                } else {
                    ignored.add(v.getKey());
                }
            }
        }
        return new Overlay(env, ignored);
    }

    private static String scalar(Node node) {
        if (node instanceof Node.Str s) {
            return s.value();
        }
        if (node instanceof Node.Num n) {
            return n.text();
        }
        if (node instanceof Node.Bool b) {
            return String.valueOf(b.value());
        }
        return null;
    }
}
