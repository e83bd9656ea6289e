package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** template.yaml as a tree; CloudFormation's short tags are kept by the YAML parser as plain values. */
final class DeployTemplate {

    static final Path PATH = Path.of(System.getProperty("project.root", "..")).resolve("template.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private DeployTemplate() {
    }

    static JsonNode template() throws IOException {
        return YAML.readTree(PATH.toFile());
    }

    /**
     * The account's own rules that feed the evaluator (through its queue), by logical id without the `Rule` suffix
     * (`IamChange`, `GuardrailTampered`, ...): their properties. The hub's rules on the organization bus are not among
     * them.
     */
    static Map<String, JsonNode> evaluatorRules() throws IOException {
        Map<String, JsonNode> rules = new TreeMap<>();
        template().path("Resources").fields().forEachRemaining(r -> {
            JsonNode p = r.getValue().path("Properties");
            if (r.getValue().path("Type").asText().equals("AWS::Events::Rule") && !p.has("EventBusName")
                    && p.path("Targets").get(0).path("Arn").asText().equals("EvaluatorQueue.Arn")) {
                rules.put(r.getKey().replaceFirst("Rule$", ""), p);
            }
        });
        return rules;
    }
}
