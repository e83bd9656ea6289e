package io.iamguardrail.cli;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What `check` found, for the output formats. */
record CheckResult(List<Finding> findings, List<Report> reports, int files, List<String> skipped, Engine engine) {

    Map<Severity, Integer> counts() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, 0);
        }
        findings.forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
        return counts;
    }

    int suppressedCount() {
        return reports.stream().mapToInt(r -> r.suppressed().size()).sum();
    }
}
