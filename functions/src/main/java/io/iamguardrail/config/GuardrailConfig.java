package io.iamguardrail.config;

import io.iamguardrail.catalog.Glob;
import io.iamguardrail.engine.Severity;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The guardrail's configuration: one YAML file, schema-checked by {@link ConfigLoader}. The defaults are those of
 * {@code default-config.yaml} in the jar.
 *
 * @param accountId          the account the policies live in: trust to it is same-account
 * @param trustedAccountIds  other accounts trust may go to without a finding (for example the organisation's)
 * @param organizationId     the organisation id; {@code aws:PrincipalOrgID} equal to it counts as trusted
 * @param trustedOidcSubjects subject patterns ({@code repo:my-org/*}) accepted for web-identity trust
 * @param forbiddenActions   action patterns the organisation forbids outright
 */
public record GuardrailConfig(Mode mode, Severity alertThreshold, Optional<String> accountId,
                              Set<String> trustedAccountIds, Optional<String> organizationId,
                              List<String> trustedOidcSubjects, List<String> forbiddenActions,
                              Map<String, RuleSettings> rules, List<Exemption> exemptions) {

    public enum Mode { ALERT, REMEDIATE }

    /** Per-rule settings; an empty value keeps the rule's default. */
    public record RuleSettings(Optional<Boolean> enabled, Optional<Severity> severity, Optional<Boolean> remediate) {
    }

    /**
     * A narrow exemption: these rules do not apply to principals matching {@code principal} (an ARN, a name, or a
     * pattern with {@code *}), for a written reason, until {@code expires} (exclusive) when set.
     */
    public record Exemption(String principal, List<String> rules, String reason, Optional<LocalDate> expires) {

        public boolean covers(String ruleId, String principalOrSource, LocalDate today) {
            if (expires.isPresent() && !today.isBefore(expires.get())) {
                return false;
            }
            if (!rules.contains("*") && !rules.contains(ruleId)) {
                return false;
            }
            String pattern = principal.toLowerCase(Locale.ROOT);
            String who = principalOrSource.toLowerCase(Locale.ROOT);
            if (Glob.matches(pattern, who)) {
                return true;
            }
            // A name or name pattern also matches the principal's ARN: `break-glass` covers `arn:...:role/break-glass`.
            return who.startsWith("arn:") && !pattern.startsWith("arn:")
                    && Glob.matches(pattern, who.substring(who.lastIndexOf('/') + 1));
        }
    }

    public GuardrailConfig {
        trustedAccountIds = Set.copyOf(trustedAccountIds);
        trustedOidcSubjects = List.copyOf(trustedOidcSubjects);
        forbiddenActions = List.copyOf(forbiddenActions);
        rules = Map.copyOf(rules);
        exemptions = List.copyOf(exemptions);
    }

    public static GuardrailConfig defaults() {
        return new GuardrailConfig(Mode.ALERT, Severity.MEDIUM, Optional.empty(), Set.of(), Optional.empty(),
                List.of(), List.of(), Map.of(), List.of());
    }

    public boolean enabled(String ruleId) {
        RuleSettings s = rules.get(ruleId);
        return s == null || s.enabled().orElse(true);
    }

    public Optional<Severity> severityOverride(String ruleId) {
        RuleSettings s = rules.get(ruleId);
        return s == null ? Optional.empty() : s.severity();
    }

    public GuardrailConfig withAccountId(String account) {
        return new GuardrailConfig(mode, alertThreshold, Optional.ofNullable(account), trustedAccountIds,
                organizationId, trustedOidcSubjects, forbiddenActions, rules, exemptions);
    }

    public GuardrailConfig withMode(Mode m) {
        return new GuardrailConfig(m, alertThreshold, accountId, trustedAccountIds, organizationId, trustedOidcSubjects,
                forbiddenActions, rules, exemptions);
    }

    /** The first exemption covering this rule for this principal today, if any. */
    public Optional<Exemption> exemption(String ruleId, String principalOrSource, LocalDate today) {
        for (Exemption e : exemptions) {
            if (e.covers(ruleId, principalOrSource, today)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
