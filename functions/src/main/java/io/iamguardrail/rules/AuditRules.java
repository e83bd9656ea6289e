package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;

import java.util.List;

/**
 * The findings only the scheduled audit makes (access nobody used, from RoleLastUsed and Access Advisor): no rule
 * class evaluates them, but they are catalogue entries so that a configuration can turn them off, change their
 * severity or exempt a principal from them, and {@code rules} lists them.
 */
public final class AuditRules {

    private static final String LAST_ACCESSED = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html";

    public static final RuleMetadata UNUSED_ROLE = audit("UNUSED_ROLE", "Role not used",
            "A role nobody has used within the audit's window (or since it was created) is standing access that only an"
                    + " attacker is likely to use, and nobody notices when they do.",
            "If nothing needs it, delete it: detach its managed policies, delete its inline policies and instance"
                    + " profiles, then delete the role.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage_delete.html");

    public static final RuleMetadata UNUSED_SERVICE = audit("UNUSED_SERVICE", "Service granted but not used",
            "Access Advisor shows a service the principal is allowed but has not used within the audit's window: the"
                    + " permission grants risk and does no work.",
            "Remove the service from the statements that grant it (the finding names each policy and the change).",
            LAST_ACCESSED);

    public static final RuleMetadata UNUSED_ACTIONS = audit("UNUSED_ACTIONS", "Actions granted but not used",
            "Access Advisor tracks some actions one by one: those the principal has not used within the audit's window"
                    + " are allowed for nothing.",
            "Leave the unused actions out of the statements that grant the service.",
            LAST_ACCESSED);

    private AuditRules() {
    }

    static List<RuleMetadata> all() {
        return List.of(UNUSED_ROLE, UNUSED_SERVICE, UNUSED_ACTIONS);
    }

    private static RuleMetadata audit(String id, String title, String rationale, String remediation, String reference) {
        return new RuleMetadata(id, Severity.LOW, "audit", title, rationale, remediation, List.of(reference))
                .with(RuleTrait.AUDIT_ONLY);
    }
}
