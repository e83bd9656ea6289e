package io.iamguardrail.cli;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Finding;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.iamguardrail.text.VisibleText.line;

/**
 * Findings for people: grouped by file, each with its location and how to fix it. File names and messages can carry
 * what a policy author wrote: each value is printed on its line with control and format characters escaped.
 */
final class TextOutput {

    private TextOutput() {
    }

    static void write(CheckResult result, PrintWriter out) {
        Map<String, List<Finding>> byFile = new LinkedHashMap<>();
        for (Finding f : result.findings()) {
            byFile.computeIfAbsent(f.source(), k -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<String, List<Finding>> e : byFile.entrySet()) {
            out.println(line(e.getKey()));
            for (Finding f : e.getValue()) {
                String where = f.location().line() > 0
                        ? f.location().line() + ":" + f.location().column() + " " + pointer(f)
                        : pointer(f);
                out.printf("  %-8s %s  %s%n", f.severity(), f.ruleId(), line(where));
                f.principal().ifPresent(p -> out.println("           principal: " + line(p)));
                out.println("           " + line(f.message()));
                for (Finding.SourceRef r : f.related()) {
                    out.println("           with: " + line(r.source() + " " + r.location()));
                }
                out.println("           fix: " + line(f.remediation()));
            }
            out.println();
        }
        Map<Severity, Integer> counts = result.counts();
        StringBuilder summary = new StringBuilder();
        summary.append(result.findings().size()).append(result.findings().size() == 1 ? " finding" : " findings");
        List<String> parts = new ArrayList<>();
        counts.forEach((s, n) -> {
            if (n > 0) {
                parts.add(n + " " + s.lowerName());
            }
        });
        if (!parts.isEmpty()) {
            summary.append(" (").append(String.join(", ", parts)).append(")");
        }
        summary.append(" in ").append(result.files()).append(result.files() == 1 ? " file" : " files");
        if (!result.skipped().isEmpty()) {
            summary.append("; skipped ").append(result.skipped().size()).append(" that are neither policy nor template");
        }
        if (result.suppressedCount() > 0) {
            summary.append("; ").append(result.suppressedCount()).append(" suppressed (exempted, implied or denied)");
        }
        out.println(summary);
    }

    private static String pointer(Finding f) {
        return f.location().pointer().isEmpty() ? "/" : f.location().pointer();
    }
}
