package io.iamguardrail.audit.organization;

import io.iamguardrail.audit.AuditHtml;
import io.iamguardrail.config.Severity;

import java.util.List;
import java.util.Map;

/**
 * The organization report as one self-contained page in the style of the account report ({@link AuditHtml}):
 * totals by severity, the accounts that could not be audited and why, the worst principals across the organization,
 * then one row per account whose new and resolved findings fold out. Every user-controlled string is escaped.
 */
public final class OrganizationHtml {

    private OrganizationHtml() {
    }

    public static String write(OrganizationReport r) {
        StringBuilder h = new StringBuilder(8192 + r.accounts().size() * 800);
        h.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<title>IAM Guardrail audit of the organization: ").append(esc(r.date())).append("</title><style>")
                .append(AuditHtml.STYLE).append("</style></head>\n<body>\n<h1>IAM Guardrail audit of the organization, ")
                .append(esc(r.date())).append("</h1>\n");

        h.append("<section id=\"summary\"><p><strong id=\"account-count\">").append(r.accounts().size())
                .append("</strong> accounts: <strong id=\"audited-count\">").append(r.with(AccountRow.Status.AUDITED).size())
                .append("</strong> audited, <strong id=\"unverified-count\">").append(r.unverified().size())
                .append("</strong> not audited; <strong id=\"finding-count\">").append(r.findings())
                .append("</strong> findings, <strong id=\"new-count\">").append(r.newCount())
                .append("</strong> new, <strong id=\"resolved-count\">").append(r.resolvedCount())
                .append("</strong> resolved.</p>\n");
        counts(h, "severity-counts", r.severityCounts());
        h.append("</section>\n");

        List<AccountRow> unverified = r.unverified();
        if (!unverified.isEmpty()) {
            h.append("<section id=\"failed\"><h2>Accounts not audited</h2><p>Their state is unknown, not clean.</p><ul>");
            for (AccountRow a : unverified) {
                h.append("<li id=\"failed-").append(a.account().id()).append("\"><strong>").append(esc(a.account().name()))
                        .append("</strong> <code>").append(a.account().id()).append("</code>: ")
                        .append(AuditHtml.message(a.reason().orElse(""))).append("</li>");
            }
            h.append("</ul></section>\n");
        }

        h.append("<section id=\"worst\"><h2>Worst principals of the organization</h2>");
        if (r.worst().isEmpty()) {
            h.append("<p>No findings.</p>");
        } else {
            h.append("<ol>");
            for (WorstPrincipal p : r.worst()) {
                h.append("<li>").append(badge(p.worst())).append(" <code>").append(esc(p.arn()))
                        .append("</code> <span class=\"muted\">").append(esc(p.accountName())).append(" (")
                        .append(esc(p.account())).append("), ").append(p.findings()).append(" findings</span></li>");
            }
            h.append("</ol>");
        }
        h.append("</section>\n");

        h.append("<section id=\"accounts\"><h2>Accounts</h2><table><thead><tr><th>Account</th><th>Status</th>");
        for (Severity s : Severity.values()) {
            h.append("<th>").append(badge(s)).append("</th>");
        }
        h.append("<th>New</th><th>Resolved</th></tr></thead><tbody>\n");
        for (AccountRow a : r.accounts()) {
            h.append("<tr id=\"a-").append(a.account().id()).append("\"><td>");
            changes(h, a);
            h.append("</td><td>").append(a.status().name().toLowerCase()).append("</td>");
            for (Severity s : Severity.values()) {
                h.append("<td>").append(a.unverified() ? "?" : a.bySeverity().get(s)).append("</td>");
            }
            h.append("<td>").append(a.newCount()).append("</td><td>").append(a.resolvedCount()).append("</td></tr>\n");
        }
        return h.append("</tbody></table></section>\n</body></html>\n").toString();
    }

    private static void changes(StringBuilder h, AccountRow a) {
        String title = esc(a.account().name()) + " <code>" + a.account().id() + "</code>";
        if (a.newFindings().isEmpty() && a.resolvedFindings().isEmpty()) {
            h.append(title);
            return;
        }
        h.append("<details><summary>").append(title).append("</summary><ul>");
        for (AccountRow.Change c : a.newFindings()) {
            h.append("<li><span class=\"new\">new</span> ").append(change(c)).append("</li>");
        }
        more(h, a.newCount(), a.newFindings().size(), "new");
        for (AccountRow.Change c : a.resolvedFindings()) {
            h.append("<li>resolved ").append(change(c)).append("</li>");
        }
        more(h, a.resolvedCount(), a.resolvedFindings().size(), "resolved");
        h.append("</ul></details>");
    }

    private static String change(AccountRow.Change c) {
        return esc(c.severity()) + " " + esc(c.principal().substring(c.principal().lastIndexOf('/') + 1)) + " <code>"
                + esc(c.ruleId()) + "</code> " + AuditHtml.message(c.message());
    }

    private static void more(StringBuilder h, int total, int shown, String what) {
        if (total > shown) {
            h.append("<li class=\"muted\">and ").append(total - shown).append(" more ").append(what)
                    .append(" (see the account's report)</li>");
        }
    }

    private static void counts(StringBuilder h, String id, Map<Severity, Integer> counts) {
        h.append("<table class=\"counts\" id=\"").append(id).append("\"><tr>");
        for (Severity s : Severity.values()) {
            h.append("<th>").append(badge(s)).append("</th>");
        }
        h.append("</tr><tr>");
        for (Map.Entry<Severity, Integer> e : counts.entrySet()) {
            h.append("<td id=\"count-").append(e.getKey()).append("\">").append(e.getValue()).append("</td>");
        }
        h.append("</tr></table>\n");
    }

    private static String badge(Severity s) {
        return "<span class=\"sev " + s + "\">" + s + "</span>";
    }

    private static String esc(String raw) {
        return AuditHtml.esc(raw);
    }
}
