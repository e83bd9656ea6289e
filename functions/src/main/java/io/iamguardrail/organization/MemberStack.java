package io.iamguardrail.organization;

import java.util.List;

/**
 * What member.yaml creates in every member account under fixed names, so that the hub knows them without asking:
 * the forwarding rules and role, the quarantine policy a remediation there attaches, the member role's policies.
 * A change to any of them in a member account is a change to the guardrail ({@code MemberTemplateTest} keeps
 * member.yaml's names equal to these).
 */
public final class MemberStack {

    public static final String FORWARD_ROLE = "iam-guardrail-forward";
    public static final List<String> FORWARD_RULES = List.of("iam-guardrail-forward-iam-changes",
            "iam-guardrail-forward-root-iam", "iam-guardrail-forward-resource-policy", "iam-guardrail-forward-tampering");
    public static final String QUARANTINE_POLICY = "iam-guardrail-quarantine";
    public static final List<String> POLICIES = List.of("iam-guardrail-forward", "iam-guardrail-member-read",
            "iam-guardrail-member-remediation", QUARANTINE_POLICY);

    private MemberStack() {
    }

    /** The quarantine policy of a member account. */
    public static String quarantinePolicyArn(String partition, String account) {
        return "arn:" + partition + ":iam::" + account + ":policy/" + QUARANTINE_POLICY;
    }

    /**
     * The member stack's resources in a member account, as GUARDRAIL_RESOURCES writes them ({@code service:name}),
     * with the member role of the given name.
     */
    public static String resources(String memberRoleName) {
        StringBuilder out = new StringBuilder("role:" + memberRoleName + ",role:" + FORWARD_ROLE);
        FORWARD_RULES.forEach(rule -> out.append(",events:").append(rule));
        POLICIES.forEach(policy -> out.append(",policy:").append(policy));
        return out.toString();
    }
}
