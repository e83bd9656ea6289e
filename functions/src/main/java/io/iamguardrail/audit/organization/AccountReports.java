package io.iamguardrail.audit.organization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.audit.AuditReport;
import io.iamguardrail.config.Severity;
import io.iamguardrail.organization.MemberAccount;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Reads what one account's audit left in its folder: {@code report.json} ({@code iam-guardrail/audit/1}) or
 * {@code failed.json} ({@code iam-guardrail/audit-failed/1}, written here too). Only the counts, the first changes and
 * the account's worst principals are kept, so a roll-up of a thousand accounts holds one report at a time. A report
 * that cannot be read, or that is of another account than its folder's, makes the account failed, never clean.
 */
public final class AccountReports {

    public static final String FAILED_SCHEMA = "iam-guardrail/audit-failed/1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AccountReports() {
    }

    /** An account's line and its worst principals (at most {@code keep}, worst first). */
    public record Read(AccountRow row, List<WorstPrincipal> worst) {
        public Read {
            worst = List.copyOf(worst);
        }
    }

    /** The account's {@code report.json}; {@code where} names it in what a bad report is said to be. */
    public static Read report(MemberAccount account, String json, String where, int keep) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            return unreadable(account, where + ": expected an audit report (JSON) but found unreadable text");
        }
        if (root == null || !AuditReport.SCHEMA.equals(root.path("schema").asText())) {
            return unreadable(account, where + ": expected an audit report with schema `" + AuditReport.SCHEMA
                    + "` but found `" + (root == null ? "" : root.path("schema").asText()) + "`");
        }
        String of = root.path("account").asText("");
        if (!of.equals(account.id())) {
            return unreadable(account, where + ": expected a report of account " + account.id() + " but found one of `"
                    + of + "`");
        }
        JsonNode summary = root.path("summary");
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, summary.path("bySeverity").path(s.name()).asInt(0));
        }
        List<AccountRow.Change> fresh = new ArrayList<>();
        for (JsonNode f : root.path("findings")) {
            if (fresh.size() < AccountRow.CHANGES_KEPT && "new".equals(f.path("status").asText())) {
                fresh.add(change(f));
            }
        }
        List<AccountRow.Change> resolved = new ArrayList<>();
        for (JsonNode f : root.path("resolved")) {
            if (resolved.size() < AccountRow.CHANGES_KEPT) {
                resolved.add(change(f));
            }
        }
        AccountRow row = new AccountRow(account, AccountRow.Status.AUDITED, Optional.empty(), counts,
                summary.path("principalsScanned").asInt(0), summary.path("findings").asInt(0),
                summary.path("new").asInt(0), summary.path("resolved").asInt(0), fresh, resolved,
                Optional.of(root.path("generatedAt").asText()).filter(s -> !s.isEmpty()));
        return new Read(row, worst(account, root.path("principals"), keep));
    }

    /** The account's {@code failed.json}. */
    public static Read failure(MemberAccount account, String json, String where) {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root != null && FAILED_SCHEMA.equals(root.path("schema").asText())
                    && account.id().equals(root.path("account").asText())) {
                return new Read(AccountRow.failed(account, root.path("reason").asText("no reason given"),
                        Optional.of(root.path("failedAt").asText()).filter(s -> !s.isEmpty())), List.of());
            }
        } catch (IOException e) {
            return unreadable(account, where + ": expected a failure record (JSON) but found unreadable text");
        }
        return unreadable(account, where + ": expected a failure record of account " + account.id() + " with schema `"
                + FAILED_SCHEMA + "`");
    }

    /** What {@link #failure} reads: why the account could not be audited. */
    public static String failureJson(MemberAccount account, String date, Instant at, String reason) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("schema", FAILED_SCHEMA).put("account", account.id()).put("name", account.name()).put("date", date)
                .put("failedAt", at.toString()).put("reason", reason);
        return o.toPrettyString() + "\n";
    }

    private static Read unreadable(MemberAccount account, String reason) {
        return new Read(AccountRow.failed(account, reason, Optional.empty()), List.of());
    }

    private static AccountRow.Change change(JsonNode f) {
        return new AccountRow.Change(f.path("principal").asText(""), f.path("ruleId").asText(""),
                f.path("severity").asText(""), f.path("message").asText(""));
    }

    private static List<WorstPrincipal> worst(MemberAccount account, JsonNode principals, int keep) {
        PriorityQueue<WorstPrincipal> top = new PriorityQueue<>(WorstPrincipal.WORST_FIRST.reversed());
        for (JsonNode p : principals) {
            Severity worst;
            try {
                worst = Severity.valueOf(p.path("worst").asText());
            } catch (IllegalArgumentException e) {
                worst = Severity.INFO; // a severity this version does not know ranks last, but the principal is kept
            }
            top.add(new WorstPrincipal(account.id(), account.name(), p.path("arn").asText(""), p.path("kind").asText(""),
                    worst, p.path("findings").asInt(0)));
            if (top.size() > keep) {
                top.poll();
            }
        }
        return top.stream().sorted(WorstPrincipal.WORST_FIRST).toList();
    }
}
