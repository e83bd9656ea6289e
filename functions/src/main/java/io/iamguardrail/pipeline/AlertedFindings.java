package io.iamguardrail.pipeline;

import io.iamguardrail.decision.Decision;
import io.iamguardrail.engine.Finding;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Remembers what the real-time evaluator alerted on, so the weekly audit can mark those findings known rather
 * than new. Recording happens after the alert is published and must never stand in its way.
 *
 * <p>The matching rule, shared with the audit ({@link #key}): a finding is the same one when it concerns the same
 * principal (role, user, group or customer-managed policy) and comes from the same rule. The principal is compared
 * by account, kind and name, without the ARN's path: names are unique per account and kind, and when the evaluator
 * could not read the live principal it only knows the name from the event (path {@code /}), while the audit reads
 * the full ARN from the authorization details. The finding's detail (which action, which statement) is left out on
 * purpose: the real-time evaluator sees one change, the audit the whole principal, and they can word the same
 * problem with different details.
 */
public interface AlertedFindings {

    /** Records the findings of an alerted decision; called only after a successful publish. */
    void record(Decision decision);

    AlertedFindings NONE = d -> { };

    /** {@code arn:aws:iam::123456789012:role/path/name}: partition, account, kind, path and name. */
    Pattern IAM_ARN = Pattern.compile("arn:([a-z-]+):iam::(\\d{12})?:(role|user|group|policy)/(?:.*/)?([^/]+)");

    /**
     * The key of a finding about a principal: {@code <principal ARN without path>|<rule id>}, e.g.
     * {@code arn:aws:iam::123456789012:role/ci-deployer|admin-access}. Empty when the principal is not the ARN of a
     * role, user, group or policy (an event rule's finding about the event, a template logical id) or carries no
     * account and none is given.
     */
    static Optional<String> key(String principal, String ruleId, Optional<String> account) {
        Matcher m = IAM_ARN.matcher(principal);
        if (!m.matches()) {
            return Optional.empty();
        }
        String acct = m.group(2) != null ? m.group(2) : account.filter(a -> a.matches("\\d{12}")).orElse(null);
        if (acct == null) {
            return Optional.empty();
        }
        return Optional.of("arn:" + m.group(1) + ":iam::" + acct + ":" + m.group(3) + "/" + m.group(4) + "|" + ruleId);
    }

    /**
     * The keys of an alerted decision's findings that concern a principal, each with the worst severity found under
     * it. The account of the event fills in an ARN built from a name alone.
     */
    static Map<String, String> keys(Decision decision) {
        Optional<String> account = decision.event().flatMap(e -> e.account());
        Map<String, Finding> worst = new LinkedHashMap<>();
        for (Finding f : decision.findings()) {
            f.principal().flatMap(p -> key(p, f.ruleId(), account)).ifPresent(k -> worst.merge(k, f,
                    (a, b) -> b.severity().compareTo(a.severity()) < 0 ? b : a));
        }
        Map<String, String> out = new LinkedHashMap<>();
        worst.forEach((k, f) -> out.put(k, f.severity().name().toUpperCase(Locale.ROOT)));
        return out;
    }
}
