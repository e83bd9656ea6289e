package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;

import java.util.List;

/**
 * The findings the scheduled audit makes (access nobody used, from RoleLastUsed and Access Advisor; paths to
 * administrator access across principals, from the privilege graph, which the evaluator also finds around a
 * change): no rule class evaluates them, but they are catalogue entries so that a configuration can turn them off, change their
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

    /** A principal that is not an administrator but can become one through other principals, hop by hop. */
    public static final RuleMetadata PRIVILEGE_PATH = new RuleMetadata("PRIVILEGE_PATH", Severity.CRITICAL, "audit",
            "Path to administrator access across principals",
            "The principal can act as other principals (assume them, pass them to compute, change their permissions or"
                    + " trust, create their credentials, run commands where they run) and, hop by hop, reaches"
                    + " administrator access or a principal with a critical finding: judged alone, no policy on the way"
                    + " looks like the escalation it adds up to. HIGH when a hop is only potential (compute that may hold"
                    + " the role, a trust that admits the account's principals that are allowed to) or the end is a"
                    + " principal with a critical finding. The audit finds every path; the real-time evaluator the paths"
                    + " a change opens among the principals it names and a changed group's members; `check --together`"
                    + " the paths among the principals the templates define.",
            "Cut the cheapest hop the finding names: narrow the Resource of the grant it cites, or the trust policy that"
                    + " admits the previous hop, or add a permissions boundary or a Deny on the hop's action.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
                    "https://github.com/nccgroup/PMapper"));

    private AuditRules() {
    }

    static List<RuleMetadata> all() {
        return List.of(UNUSED_ROLE, UNUSED_SERVICE, UNUSED_ACTIONS, PRIVILEGE_PATH);
    }

    private static RuleMetadata audit(String id, String title, String rationale, String remediation, String reference) {
        return new RuleMetadata(id, Severity.LOW, "audit", title, rationale, remediation, List.of(reference))
                .with(RuleTrait.AUDIT_ONLY);
    }
}
