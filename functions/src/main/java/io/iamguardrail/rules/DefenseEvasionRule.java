package io.iamguardrail.rules;

import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;

/** Can stop or delete logging and detection: the actions of the knowledge table `defenseEvasion`. */
final class DefenseEvasionRule extends RiskTableRule {

    static final RuleMetadata META = Meta.permission("DEFENSE_EVASION", Severity.HIGH,
            "Can stop or delete logging and detection",
            "Stopping CloudTrail, GuardDuty, Config, Security Hub, Access Analyzer or deleting log groups blinds the people who would notice an attack.",
            "Remove these actions from workload roles; keep them for a security-administration role, and protect logging with a service control policy.",
            "https://attack.mitre.org/techniques/T1562/008/").with(RuleTrait.IMPLIED_BY_ADMIN);

    DefenseEvasionRule() {
        super(META, Knowledge::defenseEvasion, "allows stopping or deleting logging and detection");
    }
}
