package io.iamguardrail.config;

import java.util.List;

/**
 * Exemptions must end: one without {@code expires} outlives its reason and becomes a permanent hole nobody reviews.
 * In ALERT mode (and in {@code check}) a missing expiry is a warning; in REMEDIATE mode, where an exemption decides
 * what is never undone, the configuration is refused. The break-glass principals of the template are not
 * exemptions of this kind: they are the way back in, and IAM protects them instead.
 */
public final class ExemptionExpiry {

    private ExemptionExpiry() {
    }

    /** One line per exemption without an expiry, saying where it is. */
    public static List<String> warnings(GuardrailConfig config) {
        return unexpiring(config).stream().map(e -> (e.declaredAt().isEmpty() ? "" : e.declaredAt() + ": ")
                + "warning: the exemption of `" + e.principal() + "` has no `expires`: it never ends; add a date"
                + " (YYYY-MM-DD). In REMEDIATE mode it is refused").toList();
    }

    /** Refuses a REMEDIATE configuration with an exemption that never expires. */
    public static void requireForRemediation(GuardrailConfig config) throws ConfigException {
        if (config.mode() != GuardrailConfig.Mode.REMEDIATE) {
            return;
        }
        List<GuardrailConfig.Exemption> open = unexpiring(config);
        if (!open.isEmpty()) {
            GuardrailConfig.Exemption e = open.get(0);
            throw new ConfigException((e.declaredAt().isEmpty() ? "" : e.declaredAt() + ": ") + "expected `expires`"
                    + " (a date YYYY-MM-DD) on every exemption in REMEDIATE mode but found none on the exemption of `"
                    + e.principal() + "`" + (open.size() > 1 ? " (and " + (open.size() - 1) + " more)" : ""));
        }
    }

    private static List<GuardrailConfig.Exemption> unexpiring(GuardrailConfig config) {
        return config.exemptions().stream().filter(e -> !e.breakGlass() && e.expires().isEmpty()).toList();
    }
}
