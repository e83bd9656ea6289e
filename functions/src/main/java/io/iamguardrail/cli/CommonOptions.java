package io.iamguardrail.cli;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options `check`, `replay` and `audit` share, read the same way by each. */
final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "guardrail configuration (YAML)")
    Path config;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "HIGH",
            description = "exit 1 when a finding is at or above it: CRITICAL, HIGH, MEDIUM, LOW, INFO (default: ${DEFAULT-VALUE})")
    String failOn;

    GuardrailConfig config() throws UsageException {
        return Options.config(config);
    }

    Severity threshold() throws UsageException {
        return Options.failOn(failOn);
    }
}
