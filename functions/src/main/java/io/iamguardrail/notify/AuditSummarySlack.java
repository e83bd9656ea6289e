package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Slack message for the scheduled audit's summary ({@code iam-guardrail/audit-summary/1}), which shares the alert
 * topic: counts by severity, the worst principals, what is new or resolved, and where the full report is. Same
 * escaping, limits and style as the alerts: top-level blocks, each list under Slack's "Show more" fold.
 */
public final class AuditSummarySlack {

    public static final String SCHEMA = "iam-guardrail/audit-summary/1";
    static final int LISTED = 10;
    /** Room kept for the line that says how many more the report has. */
    private static final int MORE_LINE = 40;

    private AuditSummarySlack() {
    }

    public static String render(JsonNode s) {
        String account = s.path("account").asText("");
        JsonNode counts = s.path("bySeverity");
        Severity worst = Severity.INFO;
        for (Severity v : Severity.values()) {
            if (counts.path(v.name()).asLong(0) > 0) {
                worst = v;
                break;
            }
        }
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(SlackBlocks.header(worst.emoji() + " IAM audit of " + (account.isEmpty() ? "the account" : account)));
        StringBuilder summary = new StringBuilder();
        summary.append(s.path("principalsScanned").asLong(0)).append(" principals scanned, ")
                .append(s.path("findings").asLong(0)).append(" findings");
        List<String> parts = new ArrayList<>();
        for (Severity v : Severity.values()) {
            long n = counts.path(v.name()).asLong(0);
            if (n > 0) {
                parts.add(n + " " + v);
            }
        }
        if (!parts.isEmpty()) {
            summary.append(": ").append(String.join(", ", parts));
        }
        JsonNode changes = s.path("changes");
        if (changes.path("comparedWithPrevious").asBoolean(false)) {
            summary.append(". Since the last report: ").append(changes.path("new").asLong(0)).append(" new, ")
                    .append(changes.path("resolved").asLong(0)).append(" resolved");
        }
        blocks.add(SlackBlocks.section(summary.toString()));
        List<String> principals = new ArrayList<>();
        for (JsonNode p : s.path("worst")) {
            Severity sev = Severity.of(p.path("worst").asText());
            principals.add(sev.emoji() + " *" + sev + "* " + Mrkdwn.code(Mrkdwn.cut(p.path("arn").asText("?"), 150))
                    + " (" + p.path("findings").asLong(0) + " findings)");
        }
        list("*Worst principals*", principals).ifPresent(blocks::add);
        List<String> fresh = new ArrayList<>();
        for (JsonNode f : changes.path("newFindings")) {
            fresh.add("• " + Mrkdwn.escape(f.path("severity").asText()) + " " + Mrkdwn.code(f.path("ruleId").asText())
                    + " " + Mrkdwn.escape(f.path("message").asText(), 150));
        }
        list("*New findings*", fresh).ifPresent(blocks::add);
        blocks.add(SlackBlocks.context("Full report (JSON and HTML): " + Mrkdwn.code(s.path("report").asText("unknown"))));
        return SlackBlocks.message(Mrkdwn.escape("IAM audit of " + account + ": " + summary, SlackBlocks.PREVIEW_MAX), blocks);
    }

    /** A titled list of at most {@value #LISTED} lines that fit under the fold, and how many more the report has. */
    private static Optional<ObjectNode> list(String title, List<String> lines) {
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder(title);
        int n = 0;
        for (String line : lines) {
            if (n == LISTED || sb.length() + 1 + line.length() > SlackBlocks.SHOW_MORE - MORE_LINE) {
                break;
            }
            sb.append('\n').append(line);
            n++;
        }
        if (n < lines.size()) {
            sb.append("\n_and ").append(lines.size() - n).append(" more in the report_");
        }
        return Optional.of(SlackBlocks.section(sb.toString()));
    }
}
