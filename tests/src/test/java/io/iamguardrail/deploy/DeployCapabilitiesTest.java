package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * `sam build && sam deploy --guided` with every default accepted and an alert e-mail typed in: samconfig.toml's
 * capabilities cover what CloudFormation requires for the template after the SAM transform (the SAM translator,
 * which cfn-lint ships, expands it here as CloudFormation does), and the only question without a default is the
 * e-mail.
 */
class DeployCapabilitiesTest {

    static final Path ROOT = DeployTemplate.PATH.getParent();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The translator's verdict for samconfig.toml plus the given answers to guided deploy's parameter prompts. */
    static JsonNode translate(String... answers) throws Exception {
        Path script = Path.of(DeployCapabilitiesTest.class.getResource("/deploy/capabilities.py").toURI());
        List<String> command = new ArrayList<>(List.of("python3", script.toString(),
                DeployTemplate.PATH.toString(), ROOT.resolve("samconfig.toml").toString()));
        command.addAll(List.of(answers));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(false).start();
        } catch (IOException e) {
            fail("expected python3 with the SAM translator (pip install cfn-lint installs it): " + e.getMessage());
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the SAM translator on template.yaml with %s:\n%s", List.of(answers), err).isZero();
        return JSON.readTree(out);
    }

    @Test
    void samconfigGivesExactlyTheCapabilitiesTheTranslatedTemplateNeeds() throws Exception {
        JsonNode result = translate("AlertEmail=secops@example.com");

        Map<String, List<String>> required = new TreeMap<>();
        result.path("required").fields().forEachRemaining(e -> {
            List<String> why = new ArrayList<>();
            e.getValue().forEach(r -> why.add(r.asText()));
            required.put(e.getKey(), why);
        });
        TreeSet<String> shipped = new TreeSet<>();
        result.path("shipped").forEach(c -> shipped.add(c.asText()));

        // Every capability CloudFormation would refuse the change set without, and none it does not need.
        assertThat(shipped).as("samconfig.toml capabilities; the template requires %s", required)
                .isEqualTo(required.keySet());
        // The fixed role names are why guided deploy's default (CAPABILITY_IAM alone) fails.
        assertThat(required.get("CAPABILITY_NAMED_IAM")).as("%s", required)
                .anyMatch(r -> r.startsWith("EvaluatorRole (AWS::IAM::Role, RoleName)"));
    }

    @Test
    void guidedDeployAsksOnlyForTheAlertEmailAndDeploysToUsEast1() throws Exception {
        JsonNode parameters = DeployTemplate.template().path("Parameters");
        List<String> withoutDefault = new ArrayList<>();
        parameters.fields().forEachRemaining(p -> {
            if (!p.getValue().has("Default")) {
                withoutDefault.add(p.getKey());
            }
            assertThat(p.getValue().path("Description").asText()).as("Description of parameter %s", p.getKey())
                    .hasSizeGreaterThan(20);
        });
        assertThat(withoutDefault).containsExactly("AlertEmail");

        JsonNode deploy = translate("AlertEmail=secops@example.com").path("deploy");
        assertThat(deploy.path("region").asText()).isEqualTo("us-east-1");
        assertThat(deploy.path("stack_name").asText()).isNotBlank();
        assertThat(deploy.path("confirm_changeset").asBoolean()).isTrue();
        // An explicit empty address is allowed for deployments that alert through Slack or their own subscribers.
        assertThat(translate("AlertEmail=").path("required").has("CAPABILITY_NAMED_IAM")).isTrue();
    }
}
