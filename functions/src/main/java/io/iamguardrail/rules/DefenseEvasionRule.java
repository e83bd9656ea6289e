package io.iamguardrail.rules;

import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.engine.PermissionRule;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.Severity;
import io.iamguardrail.engine.Subject;

import java.util.BitSet;

/** Can stop or delete logging and detection: the actions of the knowledge table `defenseEvasion`. */
final class DefenseEvasionRule implements PermissionRule {

    static final RuleMetadata META = Meta.permission("DEFENSE_EVASION", Severity.HIGH,
            "Can stop or delete logging and detection",
            "Stopping CloudTrail, GuardDuty, Config, Security Hub, Access Analyzer or deleting log groups blinds the people who would notice an attack.",
            "Remove these actions from workload roles; keep them for a security-administration role, and protect logging with a service control policy.",
            "https://attack.mitre.org/techniques/T1562/008/");

    private volatile BitSet actions;

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(Permissions p, Subject subject, RuleContext ctx) {
        BitSet risky = actions;
        if (risky == null) {
            risky = Knowledge.indexes(ctx.knowledge().defenseEvasion());
            actions = risky;
        }
        GrantScan.report(p, subject, ctx, risky, (where, sample) -> where + " allows stopping or deleting logging and detection: " + sample);
    }
}
