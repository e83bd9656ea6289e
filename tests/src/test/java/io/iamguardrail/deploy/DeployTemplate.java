package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;

/** template.yaml as a tree; CloudFormation's short tags are kept by the YAML parser as plain values. */
final class DeployTemplate {

    static final Path PATH = Path.of(System.getProperty("project.root", "..")).resolve("template.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private DeployTemplate() {
    }

    static JsonNode template() throws IOException {
        return YAML.readTree(PATH.toFile());
    }
}
