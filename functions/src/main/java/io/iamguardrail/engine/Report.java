package io.iamguardrail.engine;

import io.iamguardrail.config.Severity;

import java.util.Comparator;
import java.util.List;

/**
 * The result of evaluating one subject: the findings, what was suppressed and why (exemptions, a permissions
 * boundary that contains the risk), which rules ran, and which failed.
 */
public record Report(String source, List<Finding> findings, List<Suppressed> suppressed, List<String> rulesRun,
                     List<String> rulesFailed) {

    public record Suppressed(Finding finding, String reason) {
    }

    public Report {
        findings = findings.stream()
                .sorted(Comparator.comparing((Finding f) -> f.source())
                        .thenComparing(f -> f.location().line())
                        .thenComparing(f -> f.location().column())
                        .thenComparing(f -> f.severity())
                        .thenComparing(Finding::ruleId)
                        .thenComparing(Finding::key))
                .toList();
        suppressed = List.copyOf(suppressed);
        rulesRun = List.copyOf(rulesRun);
        rulesFailed = List.copyOf(rulesFailed);
    }

    public boolean hasAtLeast(Severity threshold) {
        return findings.stream().anyMatch(f -> f.severity().atLeast(threshold));
    }
}
