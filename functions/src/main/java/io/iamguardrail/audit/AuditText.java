package io.iamguardrail.audit;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.notify.ConsoleLinks;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.iamguardrail.text.VisibleText.line;

/**
 * The report as readable text: summary first, the fixes that remove most of the risk ({@link RootCauses}), the
 * exemptions in force, the ten worst principals, then every principal's findings with its last use and tags. Names,
 * ARNs and messages come from the account: each is printed on its line with control and format characters escaped.
 */
public final class AuditText {

    private AuditText() {
    }

    public static String write(AuditReport r) {
        StringBuilder out = new StringBuilder(1 << 14);
        out.append(summary(r)).append('\n');
        RootCauses causes = RootCauses.of(r);
        if (!causes.fixes().isEmpty()) {
            out.append(causes.headline()).append("\n\nFix these first:\n");
            int k = 1;
            for (RootCauses.Fix f : causes.top()) {
                out.append(String.format("%3d. %-8s %s: %s%n", k++, f.worst(), line(f.label()), f.document().action()));
                out.append("           clears ").append(f.criticalOrHigh()).append(" critical/high of ").append(f.findings())
                        .append(" findings on ").append(f.clears().size()).append(": ")
                        .append(line(String.join(", ", f.clears().stream().map(AuditText::shortArn).toList()))).append('\n');
                out.append("           ").append(f.problems().size()).append(" problem").append(f.problems().size() == 1 ? "" : "s")
                        .append(": ").append(String.join(", ", f.problems().stream().map(RootCauses.Problem::ruleId).distinct().toList()))
                        .append('\n');
                f.consoleArn().flatMap(ConsoleLinks::fromArn).ifPresent(l -> out.append("           ").append(l.url()).append('\n'));
            }
        }
        if (!r.exemptions().isEmpty()) {
            out.append("\nExemptions in force:\n");
            for (GuardrailConfig.Exemption x : r.exemptions()) {
                out.append("  ").append(line(x.principal())).append("  ").append(line(String.join(",", x.rules())))
                        .append("  ").append(x.expires().map(d -> "until " + d).orElse("no expiry")).append("  ")
                        .append(line(x.reason())).append(x.declaredAt().isEmpty() ? "" : "  (" + line(x.declaredAt()) + ")")
                        .append('\n');
            }
        }
        if (!r.principals().isEmpty()) {
            out.append("\nWorst principals:\n");
            int n = 1;
            for (AuditReport.PrincipalResult p : r.worst(10)) {
                out.append(String.format("%3d. %-8s %s (%s) %s%n", n++, p.worst(), line(p.name()), p.kind().name().toLowerCase(),
                        counts(p)));
            }
        }
        out.append(PathsReport.text(r.paths()));
        if (!r.resolved().isEmpty()) {
            out.append("\nResolved since the last report:\n");
            for (AuditReport.Resolved x : r.resolved()) {
                out.append("  ").append(x.severity()).append(' ').append(x.ruleId()).append("  ").append(line(x.principal()))
                        .append(": ").append(line(x.message())).append('\n');
            }
        }
        for (AuditReport.PrincipalResult p : r.principals()) {
            out.append('\n').append(p.kind().name().toLowerCase()).append(' ').append(line(p.arn())).append('\n');
            if (p.kind() != AuditReport.Kind.POLICY) {
                out.append("  last used: ").append(p.lastUsed().describe()).append("; tags: ")
                        .append(p.tags().isEmpty() ? "none" : line(tags(p.tags()))).append('\n');
            }
            for (AuditReport.Item i : p.findings()) {
                Finding f = i.finding();
                out.append(String.format("  %-8s %-5s %s  %s%n", f.severity(), i.isNew() ? "new" : "known", f.ruleId(),
                        line(f.message())));
                i.alerted().ifPresent(a -> out.append("           known: ").append(line(a.describe())).append('\n'));
                out.append("           fix: ").append(line(f.remediation())).append('\n');
            }
        }
        if (!r.notes().isEmpty()) {
            out.append('\n');
            r.notes().forEach(n -> out.append("note: ").append(line(n)).append('\n'));
        }
        return out.toString();
    }

    /** The summary lines (also the SNS email's opening). */
    public static String summary(AuditReport r) {
        StringBuilder out = new StringBuilder();
        out.append("IAM Guardrail audit of account ").append(line(r.accountId().orElse("(unknown)"))).append(" on ")
                .append(LocalDate.ofInstant(r.generatedAt(), ZoneOffset.UTC)).append('\n');
        out.append(r.principalsScanned()).append(" principals and policies scanned, ").append(r.principals().size())
                .append(" with findings, ").append(r.findingCount()).append(" findings (").append(r.newCount())
                .append(" new");
        r.previous().ifPresent(p -> out.append(", ").append(r.resolved().size()).append(" resolved since ")
                .append(LocalDate.ofInstant(p, ZoneOffset.UTC)));
        out.append(")\n");
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Severity, Integer> e : r.severityCounts().entrySet()) {
            parts.add(e.getKey() + " " + e.getValue());
        }
        out.append("By severity: ").append(String.join(", ", parts));
        out.append("\nUnused access: window ").append(r.unusedDays()).append(" days, Access Advisor ")
                .append(r.accessAdvisorUsed() ? "used" : "not used (offline)");
        return out.toString();
    }

    /** {@code owner=maria@example.com, team=platform}. */
    static String tags(Map<String, String> tags) {
        List<String> parts = new ArrayList<>();
        tags.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }

    /** {@code user/lee.dev}, {@code policy/developer-tools}: the ARN's resource part. */
    static String shortArn(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length == 6 ? parts[5] : arn;
    }

    static String counts(AuditReport.PrincipalResult p) {
        int[] c = new int[Severity.values().length];
        p.findings().forEach(i -> c[i.finding().severity().ordinal()]++);
        List<String> parts = new ArrayList<>();
        for (Severity s : Severity.values()) {
            if (c[s.ordinal()] > 0) {
                parts.add(c[s.ordinal()] + " " + s.lowerName());
            }
        }
        return String.join(", ", parts);
    }
}
