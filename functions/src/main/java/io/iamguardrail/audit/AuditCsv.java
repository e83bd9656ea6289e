package io.iamguardrail.audit;

import io.iamguardrail.engine.Finding;
import io.iamguardrail.notify.ConsoleLinks;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.text.VisibleText.line;

/**
 * The report as CSV for a spreadsheet: a header, then one row per finding (worst principals first) with its
 * principal, the policy to fix, rule, severity, IAM console links, last use and tags. RFC 4180: every field quoted,
 * quotes doubled, CRLF between records. A cell that a spreadsheet would read as a formula ({@code =}, {@code +},
 * {@code -}, {@code @}, tab or carriage return first) is prefixed with {@code '}: names, tags and messages come from
 * the account, and a role tagged {@code =HYPERLINK(...)} must stay text.
 */
public final class AuditCsv {

    public static final List<String> HEADER = List.of("account", "principal", "kind", "policy", "rule_id", "severity",
            "status", "message", "remediation", "principal_console_url", "policy_console_url", "last_used", "tags",
            "fingerprint");

    private AuditCsv() {
    }

    public static String write(AuditReport r) {
        StringBuilder out = new StringBuilder(512 + r.findingCount() * 600);
        row(out, HEADER);
        Map<String, RootCauses.Fix> fixes = RootCauses.of(r).byFingerprint();
        String account = r.accountId().orElse("");
        for (AuditReport.PrincipalResult p : r.principals()) {
            String principalUrl = ConsoleLinks.fromArn(p.arn()).map(ConsoleLinks.Link::url).orElse("");
            String lastUsed = p.kind() == AuditReport.Kind.POLICY ? "" : p.lastUsed().describe();
            String tags = AuditText.tags(p.tags());
            for (AuditReport.Item i : p.findings()) {
                Finding f = i.finding();
                Optional<RootCauses.Fix> fix = Optional.ofNullable(fixes.get(i.fingerprint()));
                row(out, List.of(account, p.arn(), p.kind().name().toLowerCase(), fix.map(RootCauses.Fix::label).orElse(""),
                        f.ruleId(), f.severity().name(), i.isNew() ? "new" : "known", f.message(), f.remediation(),
                        principalUrl, fix.flatMap(RootCauses.Fix::consoleArn).flatMap(ConsoleLinks::fromArn)
                                .map(ConsoleLinks.Link::url).orElse(""), lastUsed, tags, i.fingerprint()));
            }
        }
        return out.toString();
    }

    private static void row(StringBuilder out, List<String> fields) {
        for (int k = 0; k < fields.size(); k++) {
            out.append(k == 0 ? "" : ",").append(cell(fields.get(k)));
        }
        out.append("\r\n");
    }

    /** One quoted field: control characters shown as escapes, a formula-like start defused, quotes doubled. */
    static String cell(String raw) {
        String s = raw.isEmpty() ? raw : line(raw);
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
