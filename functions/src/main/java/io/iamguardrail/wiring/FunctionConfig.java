package io.iamguardrail.wiring;

import io.iamguardrail.config.ConfigException;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.EnvironmentOverrides;
import io.iamguardrail.config.ExemptionExpiry;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.pipeline.Secrets;
import io.iamguardrail.rules.Rules;

import java.util.Map;

/**
 * The configuration a function runs with: the YAML in {@code GUARDRAIL_CONFIG} (optional), then the template's
 * parameters from the environment. Both the evaluator and the sweep read it, so they judge alike. A bad value fails
 * the function's init with the reason, which Lambda reports as an init error.
 */
public final class FunctionConfig {

    private FunctionConfig() {
    }

    public static GuardrailConfig fromEnvironment(Map<String, String> env) {
        GuardrailConfig config = GuardrailConfig.defaults();
        String yaml = env.get("GUARDRAIL_CONFIG");
        if (yaml != null && !yaml.isBlank()) {
            try {
                config = new ConfigLoader(Rules.configurableIds()).load(yaml, "GUARDRAIL_CONFIG");
            } catch (ConfigException e) {
                // Not chained: the cause's message would print the value unmasked in the init error.
                throw new IllegalStateException("invalid configuration: " + Secrets.redact(e.getMessage()));
            }
        }
        try {
            // MODE may come from the environment: the expiry rule is checked on the configuration that runs.
            GuardrailConfig effective = EnvironmentOverrides.apply(config, env);
            ExemptionExpiry.requireForRemediation(effective);
            return effective;
        } catch (ConfigException e) {
            throw new IllegalStateException("invalid environment: " + Secrets.redact(e.getMessage()));
        }
    }
}
