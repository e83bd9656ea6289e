package io.iamguardrail.cli;

import io.iamguardrail.config.ConfigException;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.rules.Rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Options every command reads the same way; each failure is a one-line usage error. */
final class Options {

    private Options() {
    }

    /** The configuration file, or the defaults when none is given. */
    static GuardrailConfig config(Path file) throws UsageException {
        if (file == null) {
            return GuardrailConfig.defaults();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("cannot read configuration `" + file + "`: no such file");
        } catch (IOException e) {
            throw new UsageException("cannot read configuration `" + file + "`: " + e.getMessage());
        }
        try {
            return new ConfigLoader(Rules.configurableIds()).load(text, file.toString());
        } catch (ConfigException e) {
            throw new UsageException("invalid configuration: " + e.getMessage());
        }
    }

    static Severity failOn(String text) throws UsageException {
        try {
            return Severity.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--fail-on: " + e.getMessage());
        }
    }
}
