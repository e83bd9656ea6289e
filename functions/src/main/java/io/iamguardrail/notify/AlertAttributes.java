package io.iamguardrail.notify;

import io.iamguardrail.json.NodeWriter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The message attributes of an alert, which subscription filter policies ({@link FilterPolicies}) match on: the
 * worst severity, every rule id, the account, its name (a hub's alerts only) and the event name. Typed here, so no one
 * reads the rule ids back out of their published text.
 *
 * @param severity    empty when there is nothing to rank (an audit that scanned no principal)
 * @param account     empty when unknown
 * @param accountName the organization's name of the account; absent in a single account's alerts, which all concern
 *                    the one account, so that their attributes stay as they were
 */
public record AlertAttributes(String severity, List<String> ruleIds, String account, String eventName,
                              Optional<String> accountName) {

    public static final String SEVERITY = "severity";
    /** Published as {@code String.Array}, so that a filter policy can match a single rule id. */
    public static final String RULE_IDS = "ruleIds";
    public static final String ACCOUNT = "account";
    public static final String EVENT_NAME = "eventName";
    public static final String ACCOUNT_NAME = "accountName";

    public AlertAttributes {
        ruleIds = List.copyOf(ruleIds);
        accountName = accountName.map(String::strip).filter(n -> !n.isEmpty());
    }

    /** Of an account that is not named: the guardrail's own. */
    public AlertAttributes(String severity, List<String> ruleIds, String account, String eventName) {
        this(severity, ruleIds, account, eventName, Optional.empty());
    }

    /** True when {@code ruleId} is among the alert's rule ids. */
    public boolean names(String ruleId) {
        return ruleIds.contains(ruleId);
    }

    /** True for the attribute whose text is a JSON array ({@code String.Array} in SNS). */
    public static boolean isArray(String name) {
        return RULE_IDS.equals(name);
    }

    /** Name to text as published, the rule ids as a JSON array ({@code ["ADMIN_ACCESS","PASSROLE_UNRESTRICTED"]}). */
    public Map<String, String> asText() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(SEVERITY, severity);
        out.put(RULE_IDS, ruleIds.stream().map(NodeWriter::quote).collect(Collectors.joining(",", "[", "]")));
        out.put(ACCOUNT, account);
        out.put(EVENT_NAME, eventName);
        accountName.ifPresent(n -> out.put(ACCOUNT_NAME, n));
        return out;
    }
}
