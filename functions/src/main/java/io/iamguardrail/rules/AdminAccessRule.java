package io.iamguardrail.rules;

import io.iamguardrail.engine.PermissionRule;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.Privilege;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.Severity;
import io.iamguardrail.engine.Subject;

import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/** Every action on every resource: {@code *}, {@code *:*}, or NotAction with a tiny exclusion that leaves IAM intact. */
final class AdminAccessRule implements PermissionRule {

    static final RuleMetadata META = Meta.permission("ADMIN_ACCESS", Severity.CRITICAL,
            "Administrator access",
            "Allowing every action on every resource gives full control of the account, including the power to grant"
                    + " any other permission and to erase the traces.",
            "Grant only the actions the workload uses, on its own resources; keep administrator access for a"
                    + " break-glass role that requires MFA.",
            Meta.IAM_BEST_PRACTICES, "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html");

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(Permissions p, Subject subject, RuleContext ctx) {
        BitSet unconditional = p.unscoped();
        boolean conditional = false;
        if (!Privilege.isAdmin(p, unconditional)) {
            if (!Privilege.isAdmin(p, p.broad())) {
                return;
            }
            conditional = true;
        }
        int iamPassRole = ctx.catalog().find("iam:PassRole").index();
        Optional<Permissions.Grant> grant = p.grantOf(iamPassRole);
        if (grant.isEmpty()) {
            return;
        }
        Permissions.Grant g = grant.get();
        int missing = ctx.catalog().size() - p.broad().cardinality();
        String what = missing == 0 ? "every action" : "every action but " + missing + " of " + ctx.catalog().size();
        Optional<String> lowered = conditional ? p.restrictionOf(iamPassRole) : Optional.empty();
        ctx.report("admin", META.severity(), lowered, Where.source(g), g.statement().actions().at(),
                Where.statement(g, subject) + " allows " + what + " on all resources: administrator access",
                List.of());
    }
}
