package io.iamguardrail.rules;

import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.engine.PermissionRule;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.Severity;
import io.iamguardrail.engine.Subject;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every action of a known privilege-escalation method is allowed on all resources. Only the smallest methods are
 * reported: a method whose actions include another available method's adds nothing a reviewer needs to read.
 */
final class PrivilegeEscalationRule implements PermissionRule {

    static final RuleMetadata META = Meta.permission("PRIVILEGE_ESCALATION", Severity.CRITICAL,
            "Privilege escalation path",
            "These actions together let the holder grant itself more access than it was given, up to administrator,"
                    + " by a method attackers use (Rhino Security Labs, pathfinding.cloud).",
            "Remove one action of the method, scope it to resources that cannot lead to more privilege, or add a"
                    + " permissions boundary that denies it.",
            "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
            "https://pathfinding.cloud/");

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(Permissions p, Subject subject, RuleContext ctx) {
        List<Knowledge.EscalationMethod> available = new ArrayList<>();
        for (Knowledge.EscalationMethod m : ctx.knowledge().escalationMethods()) {
            if (p.allowsBroadly(m.actions())) {
                available.add(m);
            }
        }
        for (Knowledge.EscalationMethod m : available) {
            if (!isMinimal(m, available)) {
                continue;
            }
            List<Permissions.Grant> grants = new ArrayList<>();
            Optional<String> lowered = Optional.empty();
            for (int i = m.actions().nextSetBit(0); i >= 0; i = m.actions().nextSetBit(i + 1)) {
                Permissions.Grant g = p.grantOf(i).orElseThrow();
                if (!grants.contains(g)) {
                    grants.add(g);
                }
                if (lowered.isEmpty() && p.conditional().get(i)) {
                    lowered = p.restrictionOf(i);
                }
            }
            Permissions.Grant first = grants.get(0);
            String actions = m.actionNames().stream().map(a -> "`" + a + "`").collect(Collectors.joining(" + "));
            String where = Where.policies(grants).size() > 1
                    ? "policies " + Where.policies(grants).stream().map(n -> "`" + n + "`").collect(Collectors.joining(" and "))
                    + " together allow"
                    : Where.statement(first, subject) + (grants.size() > 1 ? " and others allow" : " allows");
            ctx.report(m.id(), META.severity(), lowered, first.policy().source(), first.statement().actions().at(),
                    where + " privilege escalation by `" + m.name() + "` (" + m.id() + "): " + actions,
                    Where.related(grants));
        }
    }

    private static boolean isMinimal(Knowledge.EscalationMethod m, List<Knowledge.EscalationMethod> available) {
        for (Knowledge.EscalationMethod other : available) {
            if (other == m) {
                continue;
            }
            BitSet extra = (BitSet) other.actions().clone();
            extra.andNot(m.actions());
            boolean otherIsSubset = extra.isEmpty();
            boolean strictly = other.actions().cardinality() < m.actions().cardinality();
            if (otherIsSubset && strictly) {
                return false;
            }
        }
        return true;
    }
}
