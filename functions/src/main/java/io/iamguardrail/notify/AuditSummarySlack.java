package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The Slack message for the scheduled audit's summary ({@code iam-guardrail/audit-summary/1}), which shares the alert
 * topic: counts by severity, the worst principals, what is new or resolved, and where the full report is. Same
 * escaping, limits and style as the alerts: top-level blocks, each list under Slack's "Show more" fold.
 */
public final class AuditSummarySlack {

    public static final String SCHEMA = "iam-guardrail/audit-summary/1";
    static final int LISTED = 10;

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
        StringBuilder worstList = new StringBuilder("*Worst principals*");
        int n = 0;
        for (JsonNode p : s.path("worst")) {
            Severity sev = Severity.of(p.path("worst").asText());
            String line = "\n" + sev.emoji() + " *" + sev + "* " + Mrkdwn.code(Mrkdwn.cut(p.path("arn").asText("?"), 150))
                    + " (" + p.path("findings").asLong(0) + " findings)";
            if (n == LISTED || worstList.length() + line.length() > SlackBlocks.SHOW_MORE) {
                break;
            }
            worstList.append(line);
            n++;
        }
        if (n > 0) {
            blocks.add(SlackBlocks.section(worstList.toString()));
        }
        StringBuilder fresh = new StringBuilder("*New findings*");
        n = 0;
        for (JsonNode f : changes.path("newFindings")) {
            String line = "\n• " + Mrkdwn.escape(f.path("severity").asText()) + " " + Mrkdwn.code(f.path("ruleId").asText())
                    + " " + Mrkdwn.escape(f.path("message").asText(), 150);
            if (n == LISTED || fresh.length() + line.length() > SlackBlocks.SHOW_MORE) {
                break;
            }
            fresh.append(line);
            n++;
        }
        if (n > 0) {
            blocks.add(SlackBlocks.section(fresh.toString()));
        }
        blocks.add(SlackBlocks.context("Full report (JSON and HTML): " + Mrkdwn.code(s.path("report").asText("unknown"))));
        return SlackBlocks.message(Mrkdwn.escape("IAM audit of " + account + ": " + summary, SlackBlocks.PREVIEW_MAX), blocks);
    }
}
