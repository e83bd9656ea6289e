package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.PermissionRule;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.Privilege;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;
import io.iamguardrail.engine.Subject;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every action on every resource ({@code *}, {@code *:*}), or administrator access in effect: NotAction with a tiny
 * exclusion that leaves IAM intact, or every IAM write together with a whole compute service.
 */
final class AdminAccessRule implements PermissionRule {

    static final RuleMetadata META = Meta.permission("ADMIN_ACCESS", Severity.CRITICAL,
            "Administrator access",
            "Allowing every action on every resource gives full control of the account, including the power to grant"
                    + " any other permission and to erase the traces.",
            "Grant only the actions the workload uses, on its own resources; keep administrator access for a"
                    + " break-glass role that requires MFA.",
            Meta.IAM_BEST_PRACTICES, "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html")
            .with(RuleTrait.ADMIN);

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(Permissions p, Subject subject, RuleContext ctx) {
        BitSet level = p.unscoped();
        boolean conditional = false;
        if (!isAdmin(p, level)) {
            level = p.broad();
            if (!isAdmin(p, level)) {
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
        int total = ctx.catalog().size();
        int granted = p.broad().cardinality();
        String what;
        if (granted == total) {
            what = "every action on all resources: administrator access";
        } else if (Privilege.isAdmin(p, level)) {
            what = String.format(Locale.ROOT, "%,d of %,d actions on all resources, including every IAM write:"
                    + " administrator access in effect", granted, total);
        } else {
            what = Privilege.adminInEffect(p, level).orElseThrow() + " on all resources: administrator access in effect";
        }
        Optional<String> lowered = conditional ? p.restrictionOf(iamPassRole) : Optional.empty();
        ctx.report("admin", META.severity(), lowered, Where.source(g), g.statement().actions().at(),
                Where.statement(g, subject) + " allows " + what, List.of());
    }

    private static boolean isAdmin(Permissions p, BitSet level) {
        return Privilege.isAdmin(p, level) || Privilege.adminInEffect(p, level).isPresent();
    }
}
