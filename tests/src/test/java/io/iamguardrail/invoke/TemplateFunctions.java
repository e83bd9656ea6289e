package io.iamguardrail.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The functions of template.yaml as Lambda would run them: handler string, memory, timeout and environment variable
 * names, with the Globals section applied. Intrinsic functions are not resolved: a test supplies the values.
 */
final class TemplateFunctions {

    /**
     * One AWS::Serverless::Function. {@code globalEnvironment} holds the Globals' literal variables (JVM options);
     * {@code variables} names the function's own, whose values are intrinsics the caller resolves.
     */
    record Function(String logicalId, String handler, String runtime, int memoryMb, int timeoutSeconds,
                    Map<String, String> globalEnvironment, java.util.Set<String> variables, JsonNode properties) {
    }

    static final Path TEMPLATE = Path.of(System.getProperty("project.root", "..")).resolve("template.yaml");
    // CloudFormation short tags (!Ref, !Sub...) are kept by the YAML parser as tags on plain values: ignored here.
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TemplateFunctions() {
    }

    static JsonNode template() throws IOException {
        return YAML.readTree(TEMPLATE.toFile());
    }

    static Map<String, Function> all() throws IOException {
        JsonNode t = template();
        JsonNode globals = t.path("Globals").path("Function");
        Map<String, Function> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = t.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            if (!r.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                continue;
            }
            JsonNode p = r.getValue().path("Properties");
            Map<String, String> env = new LinkedHashMap<>();
            globals.path("Environment").path("Variables").fields()
                    .forEachRemaining(v -> env.put(v.getKey(), v.getValue().asText()));
            java.util.Set<String> variables = new java.util.TreeSet<>();
            p.path("Environment").path("Variables").fieldNames().forEachRemaining(variables::add);
            out.put(r.getKey(), new Function(r.getKey(), text(p, globals, "Handler").orElseThrow(
                    () -> new IllegalStateException("template.yaml: function " + r.getKey() + " has no Handler")),
                    text(p, globals, "Runtime").orElse("?"),
                    Integer.parseInt(text(p, globals, "MemorySize").orElse("128")),
                    Integer.parseInt(text(p, globals, "Timeout").orElse("3")), env, variables, p));
        }
        return out;
    }

    static Function function(String logicalId) throws IOException {
        Function f = all().get(logicalId);
        if (f == null) {
            throw new IllegalStateException("template.yaml has no function " + logicalId + "; it has " + all().keySet());
        }
        return f;
    }

    private static Optional<String> text(JsonNode properties, JsonNode globals, String key) {
        JsonNode v = properties.has(key) ? properties.get(key) : globals.get(key);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }
}
