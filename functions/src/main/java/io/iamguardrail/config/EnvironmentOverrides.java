package io.iamguardrail.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The template's parameters reach the function as environment variables; they override the configuration file, so
 * that {@code sam deploy --parameter-overrides Mode=REMEDIATE} does what it says without editing YAML.
 *
 * <p>{@code MODE} (ALERT|REMEDIATE), {@code ALERT_THRESHOLD} (a severity), {@code TRUSTED_ACCOUNT_IDS} and
 * {@code EXEMPT_PRINCIPAL_ARNS} (comma separated; empty means none), {@code MAX_REMEDIATIONS_PER_MINUTE},
 * {@code QUARANTINE_POLICY_ARN} (the stack's deny-all policy) and {@code GUARDRAIL_ROLE_ARN} (never remediated).
 * Exempt principals are break-glass: exempt from every rule and never remediated.
 */
public final class EnvironmentOverrides {

    static final String BREAK_GLASS = "break-glass principal (template parameter ExemptPrincipalArns)";

    private EnvironmentOverrides() {
    }

    public static GuardrailConfig apply(GuardrailConfig config, Map<String, String> env) throws ConfigException {
        GuardrailConfig.Mode mode = config.mode();
        Optional<String> m = value(env, "MODE");
        if (m.isPresent()) {
            try {
                mode = GuardrailConfig.Mode.valueOf(m.get().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("MODE: expected ALERT or REMEDIATE but found `" + m.get() + "`");
            }
        }
        Severity threshold = config.alertThreshold();
        Optional<String> t = value(env, "ALERT_THRESHOLD");
        if (t.isPresent()) {
            try {
                threshold = Severity.parse(t.get());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("ALERT_THRESHOLD: expected one of " + Arrays.toString(Severity.values())
                        + " but found `" + t.get() + "`");
            }
        }
        Set<String> trusted = new LinkedHashSet<>(config.trustedAccountIds());
        for (String id : list(env, "TRUSTED_ACCOUNT_IDS")) {
            if (!id.matches("\\d{12}")) {
                throw new ConfigException("TRUSTED_ACCOUNT_IDS: expected 12-digit account ids but found `" + id + "`");
            }
            trusted.add(id);
        }
        List<GuardrailConfig.Exemption> exemptions = new ArrayList<>(config.exemptions());
        GuardrailConfig.Remediation remediation = config.remediation();
        List<String> breakGlass = new ArrayList<>(remediation.breakGlassPrincipals());
        for (String arn : list(env, "EXEMPT_PRINCIPAL_ARNS")) {
            if (!arn.startsWith("arn:")) {
                throw new ConfigException("EXEMPT_PRINCIPAL_ARNS: expected principal ARNs but found `" + arn + "`");
            }
            // Break-glass principals are the way back in: they do not expire (the template protects them instead).
            exemptions.add(new GuardrailConfig.Exemption(arn, List.of("*"), BREAK_GLASS, Optional.empty(),
                    "EXEMPT_PRINCIPAL_ARNS", true));
            breakGlass.add(arn);
        }
        int maxPerMinute = remediation.maxPerMinute();
        Optional<String> max = value(env, "MAX_REMEDIATIONS_PER_MINUTE");
        if (max.isPresent()) {
            try {
                maxPerMinute = Integer.parseInt(max.get());
            } catch (NumberFormatException e) {
                maxPerMinute = -1;
            }
            if (maxPerMinute < 1) {
                throw new ConfigException("MAX_REMEDIATIONS_PER_MINUTE: expected a whole number of at least 1 but found `"
                        + max.get() + "`");
            }
        }
        remediation = new GuardrailConfig.Remediation(maxPerMinute, breakGlass, remediation.guardrailRoleArns(),
                remediation.quarantinePolicyArn());
        Optional<String> quarantine = value(env, "QUARANTINE_POLICY_ARN");
        if (quarantine.isPresent()) {
            remediation = remediation.withQuarantinePolicy(quarantine.get());
        }
        Optional<String> own = value(env, "GUARDRAIL_ROLE_ARN");
        if (own.isPresent()) {
            remediation = remediation.withGuardrailRole(own.get());
        }
        return new GuardrailConfig(mode, threshold, config.accountId(), trusted, config.organizationId(),
                config.trustedOidcSubjects(), config.forbiddenActions(), config.rules(), exemptions, remediation);
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static List<String> list(Map<String, String> env, String name) {
        return value(env, name).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList()).orElse(List.of());
    }
}
