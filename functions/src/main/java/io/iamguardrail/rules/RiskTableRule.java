package io.iamguardrail.rules;

import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.engine.PermissionRule;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.Subject;

import java.util.BitSet;
import java.util.List;
import java.util.function.Function;

/**
 * The shape shared by the rules that read a knowledge table of risky actions (credentials, data, detection):
 * the table's actions allowed on all resources, reported at each statement that grants them.
 */
abstract class RiskTableRule implements PermissionRule {

    private final RuleMetadata metadata;
    private final Function<Knowledge, List<Knowledge.RiskyAction>> table;
    private final String allows;
    private volatile BitSet actions;

    /** @param allows how the message says what the statement allows, e.g. "allows reading data or secrets" */
    RiskTableRule(RuleMetadata metadata, Function<Knowledge, List<Knowledge.RiskyAction>> table, String allows) {
        this.metadata = metadata;
        this.table = table;
        this.allows = allows;
    }

    @Override
    public final RuleMetadata metadata() {
        return metadata;
    }

    @Override
    public final void check(Permissions p, Subject subject, RuleContext ctx) {
        BitSet risky = actions;
        if (risky == null) {
            risky = Knowledge.indexes(table.apply(ctx.knowledge()));
            actions = risky;
        }
        GrantScan.report(p, subject, ctx, risky, (where, sample) -> where + " " + allows + " on all resources: " + sample);
    }
}
