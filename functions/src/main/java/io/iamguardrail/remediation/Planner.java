package io.iamguardrail.remediation;

import io.iamguardrail.change.ChangeDecoder;
import io.iamguardrail.change.IamChange;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.state.PrincipalRef;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the remediation for a decision, purely: which findings call for it (per-rule {@code remediate}, default
 * CRITICAL only), which action undoes this change (per-rule {@code action} may ask for a quarantine instead), and
 * whether a safety rail forbids it. Reads nothing: the executor re-reads IAM before it acts.
 */
public final class Planner {

    private final GuardrailConfig config;
    private final SafetyRails rails;
    private final Clock clock;

    /**
     * Rules about reversals and takeover changes whose findings are never remediated automatically: undoing them
     * would take a guess (which metadata, thumbprint or tag was there before) or fight a reviewed restore. A
     * re-activated access key is the exception: deactivating it again is its exact reversal.
     */
    static final Set<String> ALERT_ONLY = Set.of("DENY_REMOVED", "QUARANTINE_REMOVED", "IDENTITY_PROVIDER_CHANGED",
            "MFA_REMOVED", "CREDENTIAL_FOR_OTHER_USER", "INSTANCE_PROFILE_ROLE_ADDED", "SESSION_DURATION_RAISED",
            "TAG_CHANGES_ACCESS");

    public Planner(GuardrailConfig config, Clock clock) {
        this.config = config;
        this.rails = new SafetyRails(config);
        this.clock = clock;
    }

    public GuardrailConfig config() {
        return config;
    }

    public SafetyRails rails() {
        return rails;
    }

    public Plan plan(Decision d) {
        if (d.verdict() != Verdict.ALERT || d.event().isEmpty()) {
            return Plan.none("nothing to remediate");
        }
        CloudTrailEvent e = d.event().get();
        if (ChangeDecoder.decode(e) instanceof IamChange.ResourcePolicySet) {
            return Plan.none("alert only: a resource-policy change is not remediated automatically");
        }
        List<String> due = d.findings().stream().filter(f -> config.enabled(f.ruleId()))
                .filter(f -> config.remediates(f.ruleId(), f.severity())).map(Finding::ruleId).distinct().toList();
        if (due.isEmpty()) {
            return Plan.none("no finding is set to remediate (by default only CRITICAL findings remediate)");
        }
        if (ALERT_ONLY.containsAll(due)) {
            return Plan.skipped(due, "alert only: the guardrail has no exact reversal of `" + e.eventName() + "`"
                    + (due.contains("QUARANTINE_REMOVED") ? " (lifting a quarantine is also how a reviewed restore"
                    + " ends one: a person decides)" : ""));
        }
        boolean quarantine = due.stream().anyMatch(r -> config.remediationChoice(r) == GuardrailConfig.RemediationChoice.QUARANTINE);
        Optional<RemediationAction> action;
        try {
            action = quarantine ? quarantine(e) : undo(e);
        } catch (MissingSetting missing) {
            return Plan.skipped(due, missing.getMessage());
        }
        if (action.isEmpty()) {
            return Plan.skipped(due, "no remediation undoes `" + e.eventName() + "`");
        }
        Optional<String> arn = principalArn(e, action.get());
        SafetyRails.Facts facts = new SafetyRails.Facts(arn, e.response("role", "path"), due, LocalDate.now(clock));
        Optional<String> refused = rails.check(action.get(), facts);
        if (refused.isPresent()) {
            return Plan.skipped(due, refused.get());
        }
        return new Plan(List.of(action.get()), due, Optional.empty(), false, arn);
    }

    /** The action that undoes this change, from the one table of change kinds. */
    private Optional<RemediationAction> undo(CloudTrailEvent e) throws MissingSetting {
        Undo.Way way = Undo.of(ChangeDecoder.decode(e));
        if (way instanceof Undo.Way.Inverse inverse) {
            return Optional.of(inverse.action());
        }
        return way instanceof Undo.Way.QuarantineInstead ? quarantine(e) : Optional.empty();
    }

    private Optional<RemediationAction> quarantine(CloudTrailEvent e) throws MissingSetting {
        Optional<PrincipalRef> ref = ref(e);
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        String policy = config.remediation().quarantinePolicyArn().orElseThrow(() -> new MissingSetting(
                "a quarantine of " + ref.get() + " is due but no quarantine policy is configured"
                        + " (QUARANTINE_POLICY_ARN, --quarantine-policy-arn or remediation.quarantinePolicyArn)"));
        return Optional.of(new Quarantine(ref.get(), policy));
    }

    /** The principal the event changed, as the event names it. */
    static Optional<PrincipalRef> ref(CloudTrailEvent e) {
        return Undo.principal(ChangeDecoder.decode(e));
    }

    /**
     * The ARN of the principal the action acts on: the event's response names it with its path when it created it;
     * an ARN there of another principal than the one acted on (a forged response naming a break-glass role) is ignored.
     */
    static Optional<String> principalArn(CloudTrailEvent e, RemediationAction a) {
        Optional<String> created = e.response("role", "arn").or(() -> e.response("user", "arn"))
                .filter(arn -> a.principal().map(p -> arn.contains(":" + p.kind().name().toLowerCase(Locale.ROOT) + "/")
                        && arn.endsWith("/" + p.name())).orElse(false));
        if (created.isPresent()) {
            return created;
        }
        return a.principal().flatMap(p -> e.account().map(acct -> "arn:aws:iam::" + acct + ":"
                + p.kind().name().toLowerCase(Locale.ROOT) + "/" + p.name()));
    }

    private static final class MissingSetting extends Exception {
        MissingSetting(String message) {
            super(message);
        }
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
