package io.iamguardrail.config;

import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON Schema of the configuration file ({@code config.schema.json}, shipped in the jar and in the repository for
 * editors): the one place that names the valid keys. The loader checks keys against it and cites it in its errors;
 * a test keeps the rest of the schema (types, enums, patterns) agreeing with what the loader accepts.
 */
public final class ConfigSchema {

    /** Where users find the schema; named in the loader's error messages. */
    public static final String NAME = "config.schema.json";

    private static final Node.Obj ROOT = read();

    private ConfigSchema() {
    }

    /** The schema as read from the jar. */
    public static Node.Obj root() {
        return ROOT;
    }

    /** The keys of the configuration's top level, in the schema's order. */
    public static List<String> topKeys() {
        return keys(ROOT);
    }

    /** The keys of one entry of {@code rules:}. */
    public static List<String> ruleKeys() {
        return keys(at(ROOT, "properties", "rules", "additionalProperties"));
    }

    /** The keys of one entry of {@code exemptions:}. */
    public static List<String> exemptionKeys() {
        return keys(at(ROOT, "properties", "exemptions", "items"));
    }

    /** The keys of {@code remediation:}. */
    public static List<String> remediationKeys() {
        return keys(at(ROOT, "properties", "remediation"));
    }

    private static List<String> keys(Node.Obj object) {
        return List.copyOf(new ArrayList<>(at(object, "properties").fields().keySet()));
    }

    private static Node.Obj at(Node.Obj from, String... path) {
        Node n = from;
        for (String key : path) {
            n = n instanceof Node.Obj o ? o.get(key) : null;
        }
        if (n instanceof Node.Obj o) {
            return o;
        }
        throw new IllegalStateException("expected an object at " + String.join("/", path) + " in " + NAME
                + " but found " + (n == null ? "nothing" : n.kind()));
    }

    private static Node.Obj read() {
        try (InputStream in = ConfigSchema.class.getResourceAsStream("/" + NAME)) {
            if (in == null) {
                throw new IllegalStateException("expected " + NAME + " in the jar but it is missing");
            }
            if (NodeReader.readJson(in.readAllBytes()) instanceof Node.Obj o) {
                return o;
            }
            throw new IllegalStateException("expected " + NAME + " to be a JSON object");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + NAME, e);
        } catch (NodeReadException e) {
            throw new IllegalStateException("cannot read " + NAME + ": " + e.getMessage(), e);
        }
    }
}
