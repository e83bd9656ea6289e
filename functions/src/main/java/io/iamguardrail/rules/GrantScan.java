package io.iamguardrail.rules;

import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.Subject;

import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The shared shape of rules that flag risky actions allowed on all resources: for each Allow statement on all
 * resources, the risky actions it still grants after denies (and the boundary) are reported at that statement.
 * The key is the statement, so a policy evaluated alone and within its principal yields the same finding.
 */
final class GrantScan {

    private GrantScan() {
    }

    /**
     * @param risky    the actions the rule is about
     * @param describe (statement label, sample of the actions) → the finding's message
     */
    static void report(Permissions p, Subject subject, RuleContext ctx, BitSet risky,
                       BiFunction<String, String, String> describe) {
        BitSet effective = p.broad();
        for (Permissions.Grant g : p.grants()) {
            if (!g.allResources() || !g.actions().intersects(risky)) {
                continue; // most statements grant none of the risky actions: no copy needed to find out
            }
            BitSet hit = (BitSet) g.actions().clone();
            hit.and(risky);
            hit.and(effective);
            if (hit.isEmpty()) {
                continue;
            }
            BitSet unconditional = (BitSet) hit.clone();
            unconditional.and(p.unscoped());
            Optional<String> lowered = Optional.empty();
            if (unconditional.isEmpty()) {
                lowered = g.restriction().isPresent() ? g.restriction() : p.restrictionOf(hit.nextSetBit(0));
            }
            String message = describe.apply(Where.statement(g, subject), Permissions.sample(ctx.catalog(), hit, 3))
                    + (lowered.isEmpty() ? g.notNarrowing().map(why -> " (" + why + ")").orElse("") : "");
            ctx.report(g.policy().source() + "#" + g.statement().at().pointer(), ctx.currentSeverity(), lowered,
                    g.policy().source(), g.statement().actions().at(), message, List.of());
        }
    }
}
