package io.iamguardrail.rules;

import io.iamguardrail.catalog.AccessLevel;
import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.IamAction;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Derived;
import io.iamguardrail.engine.PermissionRule;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.Privilege;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;
import io.iamguardrail.engine.Subject;

import java.util.BitSet;

/**
 * Write and tagging actions on {@code *} although the action can be scoped to resources. Permissions-management
 * actions are left to PERMISSIONS_MANAGEMENT and iam:PassRole to PASSROLE_UNRESTRICTED, so one statement is not
 * reported twice for the same action.
 */
final class WriteWithoutResourceScopeRule implements PermissionRule {

    static final RuleMetadata META = Meta.permission("WRITE_WITHOUT_RESOURCE_SCOPE", Severity.MEDIUM,
            "Write actions on all resources although they can be scoped",
            "A write action that supports resource-level permissions but is granted on `*` can change every resource"
                    + " of its type, not just the workload's own.",
            "Replace `*` with the ARNs (or ARN patterns) of the resources the workload writes to.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege")
            .with(RuleTrait.IMPLIED_BY_ADMIN, RuleTrait.AWS_AUTHORED_NOISE);

    /** Write and tagging actions that can be scoped to resources, by the catalogue: never changed, never shared out. */
    private static final Derived<ActionCatalog, BitSet> SCOPABLE =
            new Derived<>(WriteWithoutResourceScopeRule::scopable);

    private static BitSet scopable(ActionCatalog catalog) {
        BitSet scopable = new BitSet(catalog.size());
        for (IamAction a : catalog.actions()) {
            if ((a.level() == AccessLevel.WRITE || a.level() == AccessLevel.TAGGING) && a.supportsResourceScoping()
                    && !Privilege.readLikeName(a)) {
                scopable.set(a.index());
            }
        }
        return scopable;
    }

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(Permissions p, Subject subject, RuleContext ctx) {
        BitSet onlyUnconditional = (BitSet) SCOPABLE.of(ctx.catalog()).clone();
        // iam:PassRole on `*` has a rule of its own (PASSROLE_UNRESTRICTED) that also weighs iam:PassedToService.
        onlyUnconditional.clear(ctx.catalog().find("iam:PassRole").index());
        onlyUnconditional.and(p.unscoped());
        GrantScan.report(p, subject, ctx, onlyUnconditional,
                (where, sample) -> where + " allows write actions on all resources that could be scoped: " + sample);
    }
}
