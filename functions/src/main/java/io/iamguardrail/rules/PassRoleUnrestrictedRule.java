package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.PermissionRule;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.Condition;
import io.iamguardrail.policy.ResourceSpec;

import java.util.List;
import java.util.Optional;

/** {@code iam:PassRole}, directly or through a wildcard, on all roles without {@code iam:PassedToService}. */
final class PassRoleUnrestrictedRule implements PermissionRule {

    static final RuleMetadata META = Meta.permission("PASSROLE_UNRESTRICTED", Severity.HIGH,
            "iam:PassRole on all roles",
            "Passing any role to any service lets the holder run code (Lambda, EC2, Glue, CodeBuild...) with the most"
                    + " privileged role in the account.",
            "Limit iam:PassRole to the ARNs of the roles the workload passes, and add an iam:PassedToService"
                    + " condition naming the service.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html")
            .with(RuleTrait.IMPLIED_BY_ADMIN);

    /** A positive iam:PassedToService condition (StringEquals/StringLike); StringNotEquals still passes to the rest. */
    private static boolean namesService(Permissions.Grant g) {
        for (Condition c : g.statement().conditions()) {
            if (c.keyLower().equals("iam:passedtoservice") && !c.isNegated() && c.operator().startsWith("String")
                    && c.values().stream().noneMatch(v -> v.equals("*"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(Permissions p, Subject subject, RuleContext ctx) {
        int passRole = ctx.catalog().find("iam:PassRole").index();
        if (!p.broad().get(passRole)) {
            return;
        }
        for (Permissions.Grant g : p.grants()) {
            if (!g.allResources() || !g.actions().get(passRole) || namesService(g)) {
                continue;
            }
            Optional<String> lowered = g.restriction().isPresent() ? g.restriction() : p.restrictionOf(passRole);
            String how = g.statement().resources() instanceof ResourceSpec.Not
                    ? "with `NotResource`" : "on all roles";
            ctx.report(g.policy().source() + "#" + g.statement().at().pointer(), META.severity(), lowered,
                    g.policy().source(), g.statement().actions().at(),
                    Where.statement(g, subject) + " allows `iam:PassRole` " + how + " without an"
                            + " `iam:PassedToService` condition", List.of());
        }
    }
}
