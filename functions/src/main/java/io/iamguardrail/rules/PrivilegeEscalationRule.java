package io.iamguardrail.rules;

import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Derived;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.PermissionRule;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;
import io.iamguardrail.engine.Subject;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every action of a known privilege-escalation method is allowed on all resources. Findings follow the smallest
 * methods (a method whose actions include another available method's adds no place a reviewer must fix), but each
 * is named after the most specific available methods that contain it: a trust rewrite before "assume a more
 * privileged role", create-project-plus-PassRole before "start a build". Methods one statement enables alone are
 * reported together at that statement; a method that needs several statements (or several policies, "together")
 * is reported on its own, with the other statements as related places.
 */
final class PrivilegeEscalationRule implements PermissionRule {

    static final RuleMetadata META = Meta.permission("PRIVILEGE_ESCALATION", Severity.CRITICAL,
            "Privilege escalation path",
            "These actions together let the holder grant itself more access than it was given, up to administrator,"
                    + " by a method attackers use (Rhino Security Labs, pathfinding.cloud).",
            "Remove one action of the method, scope it to resources that cannot lead to more privilege, or add a"
                    + " permissions boundary that denies it.",
            "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
            "https://pathfinding.cloud/").with(RuleTrait.IMPLIED_BY_ADMIN);

    private static final int SHOWN = 4;

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    /**
     * What the rule reads of the knowledge table, computed once per table: every action any method needs; each
     * method's few actions as indices, aligned with the knowledge's list (testing them beats set operations); for
     * each method, the methods whose actions are a strict subset of its own.
     */
    private record Methods(BitSet anyMethodAction, int[][] methodActions,
                           Map<Knowledge.EscalationMethod, List<Knowledge.EscalationMethod>> smaller,
                           Map<Knowledge.EscalationMethod, List<Knowledge.EscalationMethod>> larger) {
    }

    private static final Derived<Knowledge, Methods> METHODS = new Derived<>(PrivilegeEscalationRule::methods);

    @Override
    public void check(Permissions p, Subject subject, RuleContext ctx) {
        Methods table = METHODS.of(ctx.knowledge());
        if (!p.broad().intersects(table.anyMethodAction())) {
            return; // most policies grant no action any method needs
        }
        List<Knowledge.EscalationMethod> all = ctx.knowledge().escalationMethods();
        int[][] needs = table.methodActions();
        List<Knowledge.EscalationMethod> available = new ArrayList<>();
        for (int k = 0; k < needs.length; k++) {
            if (needs[k].length > 0 && allBroad(p.broad(), needs[k])) {
                available.add(all.get(k));
            }
        }
        Set<Knowledge.EscalationMethod> availableSet =
                Collections.newSetFromMap(new IdentityHashMap<>());
        availableSet.addAll(available);
        // Keyed by the grant itself, in the order first found: a grant's record hash would hash its whole policy.
        List<Permissions.Grant> statements = new ArrayList<>();
        Map<Permissions.Grant, List<Knowledge.EscalationMethod>> byStatement = new IdentityHashMap<>();
        Map<Permissions.Grant, Optional<String>> loweredByStatement = new IdentityHashMap<>();
        Map<Permissions.Grant, List<Permissions.Grant>> relatedByStatement = new IdentityHashMap<>();
        for (Knowledge.EscalationMethod m : available) {
            if (!isMinimal(m, availableSet, table)) {
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
            List<Knowledge.EscalationMethod> named = new ArrayList<>();
            for (Knowledge.EscalationMethod specific : table.larger().get(m)) {
                if (availableSet.contains(specific)) {
                    named.add(specific);
                }
            }
            named.add(m);
            if (grants.size() == 1) {
                List<Knowledge.EscalationMethod> list = byStatement.computeIfAbsent(grants.get(0), g -> {
                    statements.add(g);
                    return new ArrayList<>();
                });
                for (Knowledge.EscalationMethod n : named) {
                    if (!list.contains(n)) {
                        list.add(n);
                    }
                    // A more specific method may need another statement too: it is a related place of this one.
                    List<Permissions.Grant> others = relatedByStatement.computeIfAbsent(grants.get(0), g -> new ArrayList<>());
                    for (int i = n.actions().nextSetBit(0); i >= 0; i = n.actions().nextSetBit(i + 1)) {
                        Permissions.Grant other = p.grantOf(i).orElseThrow();
                        if (other != grants.get(0) && !others.contains(other)) {
                            others.add(other);
                        }
                    }
                }
                if (lowered.isPresent()) {
                    loweredByStatement.putIfAbsent(grants.get(0), lowered);
                }
                continue;
            }
            Permissions.Grant first = grants.get(0);
            String where = Where.policies(grants).size() > 1
                    ? "policies " + Where.policies(grants).stream().map(n -> "`" + n + "`").collect(Collectors.joining(" and "))
                    + " together allow"
                    : Where.statement(first, subject) + " and " + (grants.size() - 1) + " other statement(s) allow";
            ctx.report(m.id(), META.severity(), lowered, first.policy().source(), first.statement().actions().at(),
                    where + " privilege escalation by " + named.stream().map(PrivilegeEscalationRule::describe)
                            .collect(Collectors.joining("; ")) + unlowered(first, lowered), Where.related(grants));
        }
        for (Permissions.Grant g : statements) {
            List<Knowledge.EscalationMethod> methods = byStatement.get(g);
            String list = methods.stream().limit(SHOWN).map(PrivilegeEscalationRule::describe)
                    .collect(Collectors.joining("; "));
            String more = methods.size() > SHOWN ? "; and " + (methods.size() - SHOWN) + " more ("
                    + methods.stream().skip(SHOWN).map(Knowledge.EscalationMethod::id).collect(Collectors.joining(", "))
                    + ")" : "";
            String count = methods.size() == 1 ? "" : methods.size() + " methods: ";
            ctx.report(g.policy().source() + "#" + g.statement().at().pointer(), META.severity(),
                    loweredByStatement.getOrDefault(g, Optional.empty()), g.policy().source(),
                    g.statement().actions().at(),
                    Where.statement(g, subject) + " allows privilege escalation by " + count + list + more
                            + unlowered(g, loweredByStatement.getOrDefault(g, Optional.empty())),
                    related(relatedByStatement.getOrDefault(g, List.of())));
        }
    }

    private static List<Finding.SourceRef> related(List<Permissions.Grant> grants) {
        List<Finding.SourceRef> refs = new ArrayList<>();
        grants.forEach(g -> refs.add(new Finding.SourceRef(g.policy().source(), g.statement().actions().at())));
        return refs;
    }

    /** Why a condition of the statement did not lower the finding, when one was there and did not. */
    private static String unlowered(Permissions.Grant g, Optional<String> lowered) {
        return lowered.isEmpty() ? g.notNarrowing().map(why -> " (" + why + ")").orElse("") : "";
    }

    private static String describe(Knowledge.EscalationMethod m) {
        return "`" + m.name() + "` (" + m.id() + ": "
                + m.actionNames().stream().map(a -> "`" + a + "`").collect(Collectors.joining(" + ")) + ")";
    }

    private static boolean isMinimal(Knowledge.EscalationMethod m, Set<Knowledge.EscalationMethod> available,
                                     Methods methods) {
        for (Knowledge.EscalationMethod other : methods.smaller().get(m)) {
            if (available.contains(other)) {
                return false;
            }
        }
        return true;
    }

    private static Methods methods(Knowledge knowledge) {
        List<Knowledge.EscalationMethod> all = knowledge.escalationMethods();
        BitSet union = new BitSet();
        int[][] needs = new int[all.size()][];
        Map<Knowledge.EscalationMethod, List<Knowledge.EscalationMethod>> smaller = new IdentityHashMap<>();
        Map<Knowledge.EscalationMethod, List<Knowledge.EscalationMethod>> larger = new IdentityHashMap<>();
        all.forEach(m -> larger.put(m, new ArrayList<>()));
        for (int k = 0; k < needs.length; k++) {
            Knowledge.EscalationMethod m = all.get(k);
            union.or(m.actions());
            needs[k] = m.actions().stream().toArray();
            List<Knowledge.EscalationMethod> subsets = new ArrayList<>();
            int size = m.actions().cardinality();
            for (Knowledge.EscalationMethod other : all) {
                if (other != m && other.actions().cardinality() < size && isSubset(other.actions(), m.actions())) {
                    subsets.add(other);
                    larger.get(other).add(m);
                }
            }
            smaller.put(m, List.copyOf(subsets));
        }
        // The most specific first: more actions named is a more exact account of what the holder can do.
        Map<Knowledge.EscalationMethod, List<Knowledge.EscalationMethod>> largest = new IdentityHashMap<>();
        larger.forEach((m, list) -> largest.put(m, list.stream()
                .sorted(Comparator.comparingInt((Knowledge.EscalationMethod x) -> -x.actions().cardinality()))
                .toList()));
        return new Methods(union, needs, smaller, largest);
    }

    private static boolean allBroad(BitSet broad, int[] actions) {
        for (int i : actions) {
            if (!broad.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSubset(BitSet small, BitSet large) {
        for (int i = small.nextSetBit(0); i >= 0; i = small.nextSetBit(i + 1)) {
            if (!large.get(i)) {
                return false;
            }
        }
        return true;
    }
}
