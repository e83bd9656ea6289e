package io.iamguardrail.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * config.schema.json (what editors check a configuration against) and the loader (what the guardrail accepts) agree:
 * on realistic configurations both accept, on each kind of mistake both refuse, and every key the schema offers
 * changes what the loader loads, so no key is offered that the guardrail would silently ignore.
 */
class ConfigSchemaTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonSchema SCHEMA = schema();
    private final ConfigLoader loader = new ConfigLoader(Rules.configurableIds());

    private static JsonSchema schema() {
        try (InputStream in = ConfigSchemaTest.class.getResourceAsStream("/config.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in,
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<ValidationMessage> validate(String yaml) throws IOException {
        JsonNode doc = YAML.readTree(yaml);
        return SCHEMA.validate(doc == null || doc.isMissingNode() ? YAML.nullNode() : doc);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "mode: REMEDIATE\nalertThreshold: high\n",
        "accountId: \"111122223333\"\ntrustedAccountIds: [\"444455556666\"]\norganizationId: o-abcdefghij\n",
        "trustedOidcSubjects: [\"repo:acme/deploy-*:ref:refs/heads/main\"]\nforbiddenActions: [\"iam:CreateUser\", \"organizations:*\"]\n",
        "rules:\n  WRITE_WITHOUT_RESOURCE_SCOPE: { severity: LOW }\n  INLINE_POLICY: { enabled: false }\n  TRUST_ANY_PRINCIPAL: { remediate: true, action: QUARANTINE }\n",
        "exemptions:\n  - principal: \"arn:aws:iam::111122223333:role/break-glass\"\n    rules: [ADMIN_ACCESS, TRUST_WITHOUT_MFA]\n    reason: break-glass role, reviewed quarterly\n    expires: \"2027-06-30\"\n",
        "exemptions:\n  - { principal: \"ci-*\", rules: [\"*\"], reason: CI roles are reviewed in their own repository }\n",
        "remediation:\n  maxPerMinute: 5\n  breakGlassPrincipals: [\"arn:aws:iam::111122223333:role/break-glass\"]\n  guardrailRoleArns: []\n  quarantinePolicyArn: \"arn:aws:iam::111122223333:policy/iam-guardrail-quarantine\"\n",
    })
    void bothAcceptARealisticConfiguration(String yaml) throws Exception {
        assertThat(validate(yaml)).as("schema on:\n%s", yaml).isEmpty();
        loader.load(yaml, "guardrail.yaml");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "mod: ALERT\n",
        "mode: PANIC\n",
        "alertThreshold: SEVERE\n",
        "accountId: \"12345\"\n",
        "trustedAccountIds: [\"abc\"]\n",
        "trustedAccountIds: \"111122223333\"\n",
        "organizationId: org-1\n",
        "forbiddenActions: [\"iam CreateUser\"]\n",
        "rules:\n  INLINE_POLICY: { enable: false }\n",
        "rules:\n  INLINE_POLICY: { action: DELETE }\n",
        "rules:\n  INLINE_POLICY: { enabled: maybe }\n",
        "rules:\n  INLINE_POLICY: false\n",
        "exemptions:\n  - { principal: x, rules: [ADMIN_ACCESS] }\n",
        "exemptions:\n  - { principal: x, rules: [ADMIN_ACCESS], reason: \"\" }\n",
        "exemptions:\n  - { principal: x, rules: [ADMIN_ACCESS], reason: r, expires: tomorrow }\n",
        "exemptions:\n  - { principal: x, rules: [ADMIN_ACCESS], reason: r, until: \"2027-01-01\" }\n",
        "remediation:\n  maxPerMinute: 0\n",
        "remediation:\n  maxPerMinit: 5\n",
        "remediation:\n  quarantinePolicyArn: \"arn:aws:iam::aws:policy/AdministratorAccess\"\n",
        "- mode: ALERT\n",
    })
    void bothRefuseAMistake(String yaml) throws Exception {
        assertThat(validate(yaml)).as("schema on:\n%s", yaml).isNotEmpty();
        assertThatThrownBy(() -> loader.load(yaml, "guardrail.yaml")).as("loader on:\n%s", yaml)
                .isInstanceOf(ConfigException.class);
    }

    /** One valid value per schema key that differs from the default; a key added to the schema needs one here. */
    private static final Map<String, String> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put("mode", "mode: REMEDIATE");
        SAMPLES.put("alertThreshold", "alertThreshold: LOW");
        SAMPLES.put("accountId", "accountId: \"111122223333\"");
        SAMPLES.put("trustedAccountIds", "trustedAccountIds: [\"444455556666\"]");
        SAMPLES.put("organizationId", "organizationId: o-abcdefghij");
        SAMPLES.put("trustedOidcSubjects", "trustedOidcSubjects: [\"repo:acme/*\"]");
        SAMPLES.put("forbiddenActions", "forbiddenActions: [\"iam:CreateUser\"]");
        SAMPLES.put("rules", "rules: { INLINE_POLICY: { enabled: false } }");
        SAMPLES.put("exemptions", "exemptions: [{ principal: x, rules: [ADMIN_ACCESS], reason: r }]");
        SAMPLES.put("remediation", "remediation: { maxPerMinute: 3 }");
        SAMPLES.put("rules.enabled", "rules: { INLINE_POLICY: { enabled: false } }");
        SAMPLES.put("rules.severity", "rules: { INLINE_POLICY: { severity: HIGH } }");
        SAMPLES.put("rules.remediate", "rules: { INLINE_POLICY: { remediate: true } }");
        SAMPLES.put("rules.action", "rules: { INLINE_POLICY: { action: QUARANTINE } }");
        SAMPLES.put("exemptions.principal", "exemptions: [{ principal: x, rules: [ADMIN_ACCESS], reason: r }]");
        SAMPLES.put("exemptions.rules", "exemptions: [{ principal: x, rules: [INLINE_POLICY], reason: r }]");
        SAMPLES.put("exemptions.reason", "exemptions: [{ principal: x, rules: [ADMIN_ACCESS], reason: other }]");
        SAMPLES.put("exemptions.expires", "exemptions: [{ principal: x, rules: [ADMIN_ACCESS], reason: r, expires: \"2027-06-30\" }]");
        SAMPLES.put("remediation.maxPerMinute", "remediation: { maxPerMinute: 3 }");
        SAMPLES.put("remediation.breakGlassPrincipals", "remediation: { breakGlassPrincipals: [bg] }");
        SAMPLES.put("remediation.guardrailRoleArns", "remediation: { guardrailRoleArns: [\"arn:aws:iam::111122223333:role/g\"] }");
        SAMPLES.put("remediation.quarantinePolicyArn", "remediation: { quarantinePolicyArn: \"arn:aws:iam::111122223333:policy/q\" }");
    }

    @Test
    void everyKeyTheSchemaOffersChangesWhatTheLoaderLoads() throws Exception {
        Set<String> keys = new TreeSet<>(ConfigSchema.topKeys());
        ConfigSchema.ruleKeys().forEach(k -> keys.add("rules." + k));
        ConfigSchema.exemptionKeys().forEach(k -> keys.add("exemptions." + k));
        ConfigSchema.remediationKeys().forEach(k -> keys.add("remediation." + k));
        assertThat(new TreeSet<>(SAMPLES.keySet())).as("a sample value for every key of config.schema.json").isEqualTo(keys);

        GuardrailConfig defaults = GuardrailConfig.defaults();
        GuardrailConfig baseExemption = loader.load(SAMPLES.get("exemptions"), "base.yaml");
        for (Map.Entry<String, String> sample : SAMPLES.entrySet()) {
            assertThat(validate(sample.getValue())).as("schema on %s", sample.getValue()).isEmpty();
            GuardrailConfig loaded = loader.load(sample.getValue(), "sample.yaml");
            GuardrailConfig baseline = sample.getKey().startsWith("exemptions.") && !sample.getKey().equals("exemptions.principal")
                    ? baseExemption : defaults;
            if (sample.getKey().equals("exemptions.principal")) {
                assertThat(loaded).as("%s is read", sample.getKey()).isNotEqualTo(defaults);
            } else {
                assertThat(loaded).as("%s is read: `%s` loads differently from the default", sample.getKey(),
                        sample.getValue()).isNotEqualTo(baseline);
            }
        }
    }

    @Test
    void theShippedDefaultsAndTheReadmeExampleFollowTheSchema() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/default-config.yaml")) {
            assertThat(validate(new String(in.readAllBytes(), StandardCharsets.UTF_8))).isEmpty();
        }
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```yaml\naccountId:");
        assertThat(start).as("README.md shows a configuration example").isGreaterThanOrEqualTo(0);
        String example = readme.substring(start + "```yaml\n".length(), readme.indexOf("```", start + 7));
        assertThat(validate(example)).as("README example:\n%s", example).isEmpty();
        loader.load(example, "README.md");
    }

    @Test
    void theLoaderNamesTheSchemaWhenItRefusesAKey() {
        assertThatThrownBy(() -> loader.load("remediation:\n  maxPerMinit: 5\n", "guardrail.yaml"))
                .hasMessageEndingWith("valid keys: maxPerMinute, breakGlassPrincipals, guardrailRoleArns,"
                        + " quarantinePolicyArn (see config.schema.json)");
    }
}
