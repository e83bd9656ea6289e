package io.iamguardrail.engine;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The configuration applied to findings, in one place: rules turned off, exemptions, severity overrides, findings
 * that administrator access implies, and how AWS wrote its own managed policies. {@code check}, the real-time
 * evaluator and the audit all judge through the {@link Engine}'s instance, so they cannot disagree about a finding.
 * What a rule's findings need (its {@link RuleTrait}s) comes from the rule's catalogue entry.
 */
public final class Judgement {

    private final GuardrailConfig config;
    private final Clock clock;
    private final Set<String> admin = new HashSet<>();
    private final Set<String> impliedByAdmin = new HashSet<>();
    private final Set<String> awsAuthoredNoise = new HashSet<>();
    private final String adminName;

    /** @param rules the catalogue entries of the rules whose findings are judged, with their traits */
    Judgement(GuardrailConfig config, Collection<RuleMetadata> rules, Clock clock) {
        this.config = config;
        this.clock = clock;
        for (RuleMetadata m : rules) {
            if (m.has(RuleTrait.ADMIN)) {
                admin.add(m.id());
            }
            if (m.has(RuleTrait.IMPLIED_BY_ADMIN)) {
                impliedByAdmin.add(m.id());
            }
            if (m.has(RuleTrait.AWS_AUTHORED_NOISE)) {
                awsAuthoredNoise.add(m.id());
            }
        }
        adminName = String.join(" or ", admin.stream().sorted().toList());
    }

    /**
     * What is reported of one subject's findings ({@code subjectSource} is where its findings together are located;
     * {@code aboutAwsAuthored} tells the findings about a document AWS wrote, wherever it was read from). Suppressed
     * findings join {@code suppressed} with the reason: those about how AWS wrote a policy before the ones already
     * there (what the evaluation set aside), the rest after.
     */
    List<Finding> subject(String subjectSource, List<Finding> findings, Predicate<Finding> aboutAwsAuthored,
                          List<Report.Suppressed> suppressed) {
        Set<String> adminSources = new HashSet<>();
        for (Finding f : findings) {
            if (admin.contains(f.ruleId())) {
                adminSources.add(f.source());
            }
        }
        LocalDate today = LocalDate.now(clock);
        List<Finding> kept = new ArrayList<>();
        List<Report.Suppressed> awsAuthored = new ArrayList<>();
        List<Report.Suppressed> judged = new ArrayList<>();
        for (Finding f : findings) {
            if (impliedByAdmin.contains(f.ruleId())
                    && (adminSources.contains(f.source()) || adminSources.contains(subjectSource))) {
                judged.add(new Report.Suppressed(f, "implied by " + adminName));
                continue;
            }
            // The principal only (its live ARN, or a template's label for it); the file checked when there is none.
            // A policy's name and where it came from are chosen by whoever wrote the policy: they never exempt.
            Optional<Finding> configured = configure(f, List.of(f.principal().orElse(f.source())), today, judged);
            if (configured.isEmpty()) {
                continue;
            }
            if (awsAuthoredNoise.contains(f.ruleId())
                    && (aboutAwsAuthored.test(f) || ManagedPolicySnapshot.isAwsManaged(f.source()))) {
                // How AWS wrote its own managed policy is not the user's to fix; what it grants still counts.
                awsAuthored.add(new Report.Suppressed(configured.get(), "written by AWS in its managed policy"));
            } else {
                kept.add(configured.get());
            }
        }
        suppressed.addAll(0, awsAuthored);
        suppressed.addAll(judged);
        return kept;
    }

    /**
     * What is reported of findings made outside an evaluation (the change rules' findings about an event, the audit's
     * unused access). {@code principalNames} are the principal's ARN and name only: never a policy name, a target
     * string or another field of the event, which whoever makes the change chooses.
     */
    public List<Finding> about(List<Finding> findings, List<String> principalNames, List<Report.Suppressed> suppressed) {
        LocalDate today = LocalDate.now(clock);
        List<Finding> kept = new ArrayList<>();
        for (Finding f : findings) {
            configure(f, principalNames, today, suppressed).ifPresent(kept::add);
        }
        return kept;
    }

    /** Whether the configuration lets the rule run at all. */
    boolean enabled(String ruleId) {
        return config.enabled(ruleId);
    }

    private Optional<Finding> configure(Finding f, List<String> names, LocalDate today, List<Report.Suppressed> suppressed) {
        if (!config.enabled(f.ruleId())) {
            return Optional.empty();
        }
        Optional<GuardrailConfig.Exemption> exemption = Optional.empty();
        for (String name : names) {
            exemption = exemption.or(() -> config.exemption(f.ruleId(), name, today));
        }
        if (exemption.isPresent()) {
            suppressed.add(new Report.Suppressed(f, "exempted: " + exemption.get().reason()));
            return Optional.empty();
        }
        return Optional.of(config.severityOverride(f.ruleId()).map(f::withSeverity).orElse(f));
    }
}
