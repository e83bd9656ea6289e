package io.iamguardrail.audit.organization;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.audit.AuditReport;
import io.iamguardrail.organization.MemberAccount;

import java.util.List;

/**
 * What the audit function answers the state machine: small JSON documents (a map step's result stays far below the
 * 256 KB a state may carry; the reports themselves are in the bucket).
 */
public final class Answers {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Answers() {
    }

    /** {@code {"accounts":[{"account":"…","name":"…"},…]}}. */
    public static String accounts(List<MemberAccount> members) {
        ObjectNode o = MAPPER.createObjectNode();
        ArrayNode list = o.putArray("accounts");
        members.forEach(m -> list.addObject().put("account", m.id()).put("name", m.name()));
        return o.toString();
    }

    /** {@code {"account","name","status":"AUDITED",counts…}} or {@code {"account","name","status":"FAILED","reason"}}. */
    public static String account(OrganizationAudit.AccountOutcome o) {
        ObjectNode n = MAPPER.createObjectNode().put("account", o.account().id()).put("name", o.account().name());
        if (o.report().isEmpty()) {
            return n.put("status", "FAILED").put("reason", o.reason().orElse("")).put("failure", o.location()).toString();
        }
        AuditReport r = o.report().get();
        n.put("status", "AUDITED").put("report", o.location()).put("principalsScanned", r.principalsScanned())
                .put("findings", r.findingCount()).put("new", r.newCount()).put("resolved", r.resolved().size());
        ObjectNode bySeverity = n.putObject("bySeverity");
        r.severityCounts().forEach((s, c) -> bySeverity.put(s.name(), c));
        return n.toString();
    }

    /** The roll-up: where the organization report is, the counts, the summary's message id. */
    public static String rollUp(OrganizationAudit.RollUpOutcome o) {
        OrganizationReport r = o.report();
        return MAPPER.createObjectNode().put("report", o.location()).put("accounts", r.accounts().size())
                .put("audited", r.with(AccountRow.Status.AUDITED).size())
                .put("failed", r.with(AccountRow.Status.FAILED).size())
                .put("missing", r.with(AccountRow.Status.MISSING).size()).put("findings", r.findings())
                .put("new", r.newCount()).put("messageId", o.messageId()).toString();
    }
}
