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

/** "Permissions management" access-level actions on all resources, without a narrowing condition. */
final class PermissionsManagementRule implements PermissionRule {

    static final RuleMetadata META = Meta.permission("PERMISSIONS_MANAGEMENT", Severity.HIGH,
            "Permissions management without resource scope",
            "Actions that change who may do what (policies, grants, resource policies, role trust) on every resource"
                    + " let the holder give access to itself or to anyone.",
            "Scope permissions-management actions to the resources the workload administers, or add a condition such"
                    + " as iam:PermissionsBoundary or aws:ResourceTag.",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html")
            .with(RuleTrait.IMPLIED_BY_ADMIN);

    private volatile BitSet actions;

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(Permissions p, Subject subject, RuleContext ctx) {
        BitSet pm = actions;
        if (pm == null) {
            pm = Privilege.permissionsManagement(ctx.catalog());
            actions = pm;
        }
        GrantScan.report(p, subject, ctx, pm,
                (where, sample) -> where + " allows permissions management on all resources: " + sample);
    }
}
