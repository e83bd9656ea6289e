package io.iamguardrail.config;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
                              Map<String, RuleSettings> rules, List<Exemption> exemptions,
                              Remediation remediation) {

    public enum Mode { ALERT, REMEDIATE }

    /** What a rule's finding remediates with: the action that undoes the change (AUTO) or a quarantine. */
    public enum RemediationChoice { AUTO, QUARANTINE }

    /**
     * Per-rule settings; an empty value keeps the rule's default.
     *
     * @param remediate whether the rule's findings remediate in REMEDIATE mode (default: only CRITICAL findings do)
     * @param action    which action they remediate with (default AUTO)
     */
    public record RuleSettings(Optional<Boolean> enabled, Optional<Severity> severity, Optional<Boolean> remediate,
                               Optional<RemediationChoice> action) {
        public RuleSettings(Optional<Boolean> enabled, Optional<Severity> severity, Optional<Boolean> remediate) {
            this(enabled, severity, remediate, Optional.empty());
        }
    }

    /**
     * The rails of automatic remediation.
     *
     * @param maxPerMinute         more remediations than this in a minute switch to alert-only (a bad rule must never
     *                             mass-detach an account)
     * @param breakGlassPrincipals principals (ARN, name or pattern) never remediated, whatever the finding
     * @param guardrailRoleArns    the guardrail's own roles: never remediated
     * @param quarantinePolicyArn  the deny-all customer-managed policy a quarantine attaches
     */
    public record Remediation(int maxPerMinute, List<String> breakGlassPrincipals, List<String> guardrailRoleArns,
                              Optional<String> quarantinePolicyArn) {
        public static final int DEFAULT_MAX_PER_MINUTE = 10;

        public Remediation {
            breakGlassPrincipals = List.copyOf(breakGlassPrincipals);
            guardrailRoleArns = List.copyOf(guardrailRoleArns);
        }

        public static Remediation defaults() {
            return new Remediation(DEFAULT_MAX_PER_MINUTE, List.of(), List.of(), Optional.empty());
        }

        public Remediation withGuardrailRole(String arn) {
            List<String> roles = new ArrayList<>(guardrailRoleArns);
            roles.add(arn);
            return new Remediation(maxPerMinute, breakGlassPrincipals, roles, quarantinePolicyArn);
        }

        public Remediation withQuarantinePolicy(String arn) {
            return new Remediation(maxPerMinute, breakGlassPrincipals, guardrailRoleArns, Optional.of(arn));
        }
    }

    /**
     * A narrow exemption: these rules do not apply to principals matching {@code principal} (an ARN, a name, or a
     * pattern with {@code *}: see {@link PrincipalPattern}), for a written reason, until {@code expires} (exclusive)
     * when set.
     */
    public record Exemption(String principal, List<String> rules, String reason, Optional<LocalDate> expires,
                            String declaredAt, boolean breakGlass) {

        /** An exemption of the configuration file, declared at {@code declaredAt} ({@code file:line:column}). */
        public Exemption(String principal, List<String> rules, String reason, Optional<LocalDate> expires,
                         String declaredAt) {
            this(principal, rules, reason, expires, declaredAt, false);
        }

        public Exemption(String principal, List<String> rules, String reason, Optional<LocalDate> expires) {
            this(principal, rules, reason, expires, "", false);
        }

        /**
         * @param who the principal's identity only: its ARN (live when known) or name, a template's label for it, or
         *            the file checked when there is no principal; never a policy name or another field of an event
         */
        public boolean covers(String ruleId, String who, LocalDate today) {
            if (expires.isPresent() && !today.isBefore(expires.get())) {
                return false;
            }
            if (!rules.contains("*") && !rules.contains(ruleId)) {
                return false;
            }
            return PrincipalPattern.matches(principal, who);
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
                List.of(), List.of(), Map.of(), List.of(), Remediation.defaults());
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
                organizationId, trustedOidcSubjects, forbiddenActions, rules, exemptions, remediation);
    }

    public GuardrailConfig withMode(Mode m) {
        return new GuardrailConfig(m, alertThreshold, accountId, trustedAccountIds, organizationId, trustedOidcSubjects,
                forbiddenActions, rules, exemptions, remediation);
    }

    public GuardrailConfig withRemediation(Remediation r) {
        return new GuardrailConfig(mode, alertThreshold, accountId, trustedAccountIds, organizationId, trustedOidcSubjects,
                forbiddenActions, rules, exemptions, r);
    }

    /**
     * Whether a finding of this rule at this severity is to be remediated in REMEDIATE mode: as the rule's
     * {@code remediate} setting says, else only CRITICAL findings.
     */
    public boolean remediates(String ruleId, Severity severity) {
        RuleSettings s = rules.get(ruleId);
        if (s != null && s.remediate().isPresent()) {
            return s.remediate().get();
        }
        return severity == Severity.CRITICAL;
    }

    public RemediationChoice remediationChoice(String ruleId) {
        RuleSettings s = rules.get(ruleId);
        return s == null ? RemediationChoice.AUTO : s.action().orElse(RemediationChoice.AUTO);
    }

    /** The first exemption covering this rule for this principal (its ARN or name) today, if any. */
    public Optional<Exemption> exemption(String ruleId, String who, LocalDate today) {
        for (Exemption e : exemptions) {
            if (e.covers(ruleId, who, today)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
