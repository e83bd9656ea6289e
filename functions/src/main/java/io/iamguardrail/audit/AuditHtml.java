package io.iamguardrail.audit;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.notify.ConsoleLinks;
import io.iamguardrail.text.VisibleText;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report as one self-contained HTML page (inline CSS, no script, no external asset), written as well-formed
 * XHTML so that a plain XML parser reads it. Summary first: counts by severity, the fixes that remove most of the
 * risk, the ten worst principals, what changed; then a compact table with one row per principal (last use, tags,
 * IAM console link) whose findings fold out ({@code <details>}), so an account with thousands of roles stays
 * readable; printed, every fold is open, so a paper or PDF copy holds every finding. Every user-controlled string is
 * escaped.
 */
public final class AuditHtml {

    /** New and resolved findings listed on the page before "and N more" (the JSON report has them all). */
    static final int CHANGES_SHOWN = 50;

    /**
     * Printed (or saved as PDF) every fold is open, so the copy holds every finding: Chromium 131+, Safari 18.4+ and
     * Firefox 143+ style a closed {@code <details>}'s content through {@code ::details-content}.
     */
    static final String PRINT = """
            #fix-first ol>li{margin:.6rem 0}.tags{font-size:.85rem}
            @media print{body{margin:0;max-width:none;font-size:10pt}a{color:inherit;text-decoration:none}
            details::details-content{content-visibility:visible;display:block}summary{list-style:none}
            summary::-webkit-details-marker{display:none}tr,li{break-inside:avoid}h2{break-after:avoid}}
            """;

    public static final String STYLE = """
            body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1b1f24;max-width:80rem}
            h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
            table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
            .counts td,.counts th{text-align:center;width:20%}.counts td{font-size:1.6rem;font-weight:600}
            .sev{display:inline-block;min-width:4.5rem;padding:0 .3rem;border-radius:3px;font-size:.8rem;font-weight:600;color:#fff;text-align:center}
            .CRITICAL{background:#8b0000}.HIGH{background:#cf222e}.MEDIUM{background:#bc4c00}.LOW{background:#6e7781}.INFO{background:#8c959f}
            .new{color:#0969da;font-weight:600}code{background:#f6f8fa;padding:0 .2rem}
            details summary{cursor:pointer}li{margin:.3rem 0}.fix{color:#57606a}.muted{color:#57606a}
            """ + PRINT;

    private AuditHtml() {
    }

    public static String write(AuditReport r) {
        StringBuilder h = new StringBuilder(4096 + r.findingCount() * 600);
        String account = r.accountId().orElse("(unknown account)");
        h.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<title>IAM Guardrail audit: ").append(esc(account)).append("</title><style>").append(STYLE)
                .append("</style></head>\n<body>\n<h1>IAM Guardrail audit of ").append(esc(account)).append("</h1>\n");

        h.append("<section id=\"summary\"><p>").append(LocalDate.ofInstant(r.generatedAt(), ZoneOffset.UTC))
                .append(": <strong id=\"principals-scanned\">").append(r.principalsScanned())
                .append("</strong> principals and policies scanned, <strong>").append(r.principals().size())
                .append("</strong> with findings, <strong id=\"finding-count\">").append(r.findingCount())
                .append("</strong> findings, <strong id=\"new-count\">").append(r.newCount()).append("</strong> new");
        r.previous().ifPresent(p -> h.append(", <strong id=\"resolved-count\">").append(r.resolved().size())
                .append("</strong> resolved since ").append(LocalDate.ofInstant(p, ZoneOffset.UTC)));
        h.append(".</p>\n<table class=\"counts\" id=\"severity-counts\"><tr>");
        for (Severity s : Severity.values()) {
            h.append("<th><span class=\"sev ").append(s).append("\">").append(s).append("</span></th>");
        }
        h.append("</tr><tr>");
        for (Map.Entry<Severity, Integer> e : r.severityCounts().entrySet()) {
            h.append("<td id=\"count-").append(e.getKey()).append("\">").append(e.getValue()).append("</td>");
        }
        h.append("</tr></table>\n<p class=\"muted\">Unused access: ").append(r.unusedDays()).append("-day window; Access Advisor ")
                .append(r.accessAdvisorUsed() ? "used" : "not used (offline run)").append(".</p></section>\n");

        fixFirst(h, RootCauses.of(r));
        h.append("<section id=\"worst\"><h2>Ten worst principals</h2>");
        if (r.principals().isEmpty()) {
            h.append("<p>No findings.</p>");
        } else {
            h.append("<ol>");
            int n = 0;
            // The principals are sorted worst first, so the n-th worst is the n-th row of the table.
            for (AuditReport.PrincipalResult p : r.worst(10)) {
                h.append("<li>").append(badge(p.worst())).append(" <a href=\"#p-").append(n++).append("\">")
                        .append(esc(p.name())).append("</a> <span class=\"muted\">").append(p.kind().name().toLowerCase())
                        .append(", ").append(AuditText.counts(p)).append("</span></li>");
            }
            h.append("</ol>");
        }
        h.append("</section>\n");

        h.append(PathsReport.html(r.paths()));
        h.append("<section id=\"changes\"><h2>Since the last report</h2>");
        if (r.previous().isEmpty()) {
            h.append("<p>No previous report: every finding is new.</p>");
        } else {
            List<Map.Entry<AuditReport.PrincipalResult, AuditReport.Item>> fresh = r.principals().stream()
                    .flatMap(p -> p.findings().stream().filter(AuditReport.Item::isNew).map(i -> Map.entry(p, i))).toList();
            h.append("<details").append(fresh.isEmpty() ? "" : " open=\"open\"").append("><summary>").append(fresh.size())
                    .append(" new</summary><ul>");
            fresh.stream().limit(CHANGES_SHOWN).forEach(e -> h.append("<li>").append(badge(e.getValue().finding().severity()))
                    .append(' ').append(esc(e.getKey().name())).append(" <code>").append(esc(e.getValue().finding().ruleId()))
                    .append("</code> ").append(message(e.getValue().finding().message())).append("</li>"));
            more(h, fresh.size());
            h.append("</ul></details><details><summary>").append(r.resolved().size()).append(" resolved</summary><ul>");
            r.resolved().stream().limit(CHANGES_SHOWN).forEach(x -> h.append("<li>").append(esc(x.severity())).append(' ')
                    .append(esc(x.principal().substring(x.principal().lastIndexOf('/') + 1))).append(" <code>")
                    .append(esc(x.ruleId())).append("</code> ").append(message(x.message())).append("</li>"));
            more(h, r.resolved().size());
            h.append("</ul></details>");
        }
        h.append("</section>\n");

        h.append("<section id=\"principals\"><h2>Principals with findings</h2><table><thead><tr><th>Principal</th>")
                .append("<th>Kind</th><th>Worst</th><th>Findings</th><th>New</th><th>Last used</th><th>Tags</th></tr></thead><tbody>\n");
        int row = 0;
        for (AuditReport.PrincipalResult p : r.principals()) {
            h.append("<tr id=\"p-").append(row++).append("\"><td><details><summary>").append(esc(p.name()))
                    .append("</summary><p class=\"muted\"><code>").append(esc(p.arn())).append("</code>")
                    .append(ConsoleLinks.fromArn(p.arn()).map(l -> " <a href=\"" + esc(l.url()) + "\">IAM console</a>").orElse(""))
                    .append("</p><ul>");
            for (AuditReport.Item i : p.findings()) {
                Finding f = i.finding();
                h.append("<li>").append(badge(f.severity())).append(' ').append(i.isNew() ? "<span class=\"new\">new</span> " : "")
                        .append("<code>").append(esc(f.ruleId())).append("</code> ").append(message(f.message()))
                        .append(i.alerted().map(a -> " <span class=\"muted\">(known: " + esc(a.describe()) + ")</span>").orElse(""))
                        .append("<br/><span class=\"fix\">Fix: ").append(message(f.remediation())).append("</span></li>");
            }
            h.append("</ul></details></td><td>").append(p.kind().name().toLowerCase()).append("</td><td>")
                    .append(badge(p.worst())).append("</td><td>").append(p.findings().size()).append("</td><td>")
                    .append(p.newCount()).append("</td><td>").append(p.kind() == AuditReport.Kind.POLICY ? "" : esc(p.lastUsed().describe()))
                    .append("</td><td class=\"tags\">").append(esc(AuditText.tags(p.tags()))).append("</td></tr>\n");
        }
        h.append("</tbody></table>");
        if (!r.cleanPrincipals().isEmpty()) {
            h.append("<details><summary>").append(r.cleanPrincipals().size()).append(" without findings</summary><p>");
            boolean first = true;
            for (String arn : r.cleanPrincipals()) {
                h.append(first ? "" : ", ").append(esc(arn.substring(arn.lastIndexOf('/') + 1)));
                first = false;
            }
            h.append("</p></details>");
        }
        h.append("</section>\n");
        exemptions(h, r);
        if (!r.notes().isEmpty()) {
            h.append("<section id=\"notes\"><h2>Notes</h2><ul>");
            r.notes().forEach(n -> h.append("<li>").append(message(n)).append("</li>"));
            h.append("</ul></section>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    /** The first screen's answer: the few fixes that remove most of the risk, each with what it clears. */
    private static void fixFirst(StringBuilder h, RootCauses causes) {
        h.append("<section id=\"fix-first\"><h2>Fix these first</h2><p id=\"fix-headline\"><strong>")
                .append(esc(causes.headline())).append("</strong></p>");
        if (!causes.fixes().isEmpty()) {
            h.append("<ol>");
            for (RootCauses.Fix f : causes.top()) {
                h.append("<li class=\"fix-item\">").append(badge(f.worst())).append(' ').append(link(f.consoleArn(), f.label()))
                        .append(": ").append(esc(f.document().action())).append("<br/><span class=\"muted\">clears ")
                        .append(f.criticalOrHigh()).append(" critical/high of ").append(f.findings()).append(" findings on ");
                boolean first = true;
                for (String arn : f.clears()) {
                    h.append(first ? "" : ", ").append(link(Optional.of(arn), AuditText.shortArn(arn)));
                    first = false;
                }
                // The problems fold away so that the five fixes fit the first screen; printed they open.
                h.append("</span><details><summary>").append(f.problems().size()).append(f.problems().size() == 1
                        ? " problem: " : " problems: ").append(esc(String.join(", ", f.problems().stream()
                        .map(RootCauses.Problem::ruleId).distinct().toList()))).append("</summary><ul>");
                for (RootCauses.Problem x : f.problems()) {
                    h.append("<li>").append(badge(x.severity())).append(" <code>").append(esc(x.ruleId())).append("</code> ")
                            .append(message(x.message())).append("</li>");
                }
                h.append("</ul></details></li>");
            }
            h.append("</ol>");
            if (causes.fixes().size() > causes.top().size()) {
                h.append("<p class=\"muted\">").append(causes.fixes().size() - causes.top().size())
                        .append(" more fixes in the JSON report (<code>rootCauses</code>).</p>");
            }
        }
        h.append("</section>\n");
    }

    private static void exemptions(StringBuilder h, AuditReport r) {
        h.append("<section id=\"exemptions\"><h2>Exemptions in force</h2>");
        if (r.exemptions().isEmpty()) {
            h.append("<p>None: every rule applies to every principal.</p></section>\n");
            return;
        }
        h.append("<table><thead><tr><th>Principal</th><th>Rules</th><th>Until</th><th>Reason</th><th>Declared at</th>")
                .append("</tr></thead><tbody>");
        for (GuardrailConfig.Exemption x : r.exemptions()) {
            h.append("<tr><td><code>").append(esc(x.principal())).append("</code></td><td>").append(esc(String.join(", ", x.rules())))
                    .append("</td><td>").append(x.expires().map(Object::toString).orElse("no expiry")).append("</td><td>")
                    .append(esc(x.reason())).append("</td><td>").append(esc(x.declaredAt())).append("</td></tr>");
        }
        h.append("</tbody></table></section>\n");
    }

    /** The text, linked to the IAM console page of the ARN when it has one. */
    private static String link(Optional<String> arn, String text) {
        return arn.flatMap(ConsoleLinks::fromArn).map(l -> "<a href=\"" + esc(l.url()) + "\">" + esc(text) + "</a>")
                .orElse(esc(text));
    }

    private static void more(StringBuilder h, int total) {
        if (total > CHANGES_SHOWN) {
            h.append("<li class=\"muted\">and ").append(total - CHANGES_SHOWN).append(" more (see the JSON report)</li>");
        }
    }

    private static String badge(Severity s) {
        return "<span class=\"sev " + s + "\">" + s + "</span>";
    }

    /** Escaped text whose `backticked` parts become code. */
    public static String message(String text) {
        String escaped = esc(text);
        StringBuilder out = new StringBuilder(escaped.length() + 16);
        boolean open = false;
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '`') {
                out.append(open ? "</code>" : "<code>");
                open = !open;
            } else {
                out.append(c);
            }
        }
        return open ? out.append("</code>").toString() : out.toString();
    }

    /**
     * Escapes for text and attribute values. Control and format characters (bidi overrides that would reorder a name
     * in the browser, zero-width characters) are shown as their escapes first ({@link VisibleText}); what XML cannot
     * carry is dropped.
     */
    public static String esc(String raw) {
        if (raw == null) {
            return "";
        }
        String s = VisibleText.lines(raw);
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
