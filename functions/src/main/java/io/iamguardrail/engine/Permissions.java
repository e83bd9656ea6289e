package io.iamguardrail.engine;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.policy.ActionPattern;
import io.iamguardrail.policy.ActionSpec;
import io.iamguardrail.policy.Effect;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.ResourcePattern;
import io.iamguardrail.policy.ResourceSpec;
import io.iamguardrail.policy.Statement;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a set of permission policies really allows, action by action, after explicit denies and the permissions
 * boundary. Every catalogue action falls in at most one class:
 * <ul>
 *   <li>{@link #unscoped()}: on every resource, with no restrictive condition;</li>
 *   <li>{@link #conditional()}: on every resource, but only under a restrictive condition (in the Allow, or because
 *       a conditional Deny takes it away otherwise);</li>
 *   <li>{@link #scoped()}: on named resources only.</li>
 * </ul>
 * This is evaluation, not string matching: {@code NotAction} and {@code NotResource} expand to what they allow,
 * and an unconditional Deny on all resources removes what it covers.
 */
public final class Permissions {

    /** Why a conditional Deny leaves these actions allowed only conditionally. */
    record DenyReason(BitSet actions, String why) {
    }

    /** One Allow statement, compiled. */
    public record Grant(SourcedPolicy policy, Statement statement, BitSet actions, boolean allResources,
                        Optional<String> restriction, Optional<String> notNarrowing) {
    }

    private final ActionCatalog catalog;
    private final List<Grant> grants;
    private final BitSet unscoped;
    private final BitSet conditional;
    private final BitSet scoped;
    private final BitSet any;
    private final BitSet broad;
    private final List<ActionPattern> unknownAllowed;
    private final List<DenyReason> denyReasons;

    private Permissions(ActionCatalog catalog, List<Grant> grants, BitSet unscoped, BitSet conditional, BitSet scoped,
                        List<ActionPattern> unknownAllowed, List<DenyReason> denyReasons) {
        this.denyReasons = List.copyOf(denyReasons);
        this.catalog = catalog;
        this.grants = List.copyOf(grants);
        this.unscoped = unscoped;
        this.conditional = conditional;
        this.scoped = scoped;
        this.any = (BitSet) unscoped.clone();
        any.or(conditional);
        any.or(scoped);
        this.broad = (BitSet) unscoped.clone();
        broad.or(conditional);
        this.unknownAllowed = List.copyOf(unknownAllowed);
    }

    public static Permissions empty(ActionCatalog catalog) {
        return new Permissions(catalog, List.of(), new BitSet(), new BitSet(), new BitSet(), List.of(), List.of());
    }

    /** The effective permissions of these identity policies, intersected with the boundary when there is one. */
    public static Permissions of(ActionCatalog catalog, List<SourcedPolicy> policies, Optional<SourcedPolicy> boundary) {
        return of(catalog, policies, boundary, spec -> lookup(catalog, spec));
    }

    /** As {@link #of(ActionCatalog, List, Optional)}, with the patterns' matches from {@code matcher}. */
    static Permissions of(ActionCatalog catalog, List<SourcedPolicy> policies, Optional<SourcedPolicy> boundary,
                          Function<ActionSpec, ActionCatalog.Match[]> matcher) {
        return of(catalog, policies, boundary, matcher, SelfNames.NONE);
    }

    /** As above, for a principal whose own names ({@link SelfNames}) do not scope a grant. */
    static Permissions of(ActionCatalog catalog, List<SourcedPolicy> policies, Optional<SourcedPolicy> boundary,
                          Function<ActionSpec, ActionCatalog.Match[]> matcher, SelfNames self) {
        Permissions first = compute(catalog, policies, boundary, matcher, SettableConditions.OWN_TAGS, SelfNames.NONE);
        boolean tagged = first.grants.stream().anyMatch(g -> SettableConditions.hasResourceTagCondition(g.statement()));
        SelfNames found = self.withCreatable(catalog, first);
        SelfNames names = first.grants.stream().anyMatch(g -> !g.allResources() && found.unscoping(g.statement()).isPresent())
                ? found : SelfNames.NONE;
        if (!tagged && names.isEmpty()) {
            return first;
        }
        // A resource-tag condition narrows nothing if the same permissions may set the tag, and a name pattern
        // scopes nothing if it matches the principal, its own policy or names it may create: judge again.
        return compute(catalog, policies, boundary, matcher,
                tagged ? SettableConditions.of(catalog, first.unscoped) : SettableConditions.OWN_TAGS, names);
    }

    private static Permissions compute(ActionCatalog catalog, List<SourcedPolicy> policies, Optional<SourcedPolicy> boundary,
                                       Function<ActionSpec, ActionCatalog.Match[]> matcher, SettableConditions settable,
                                       SelfNames names) {
        BitSet unscoped = new BitSet();
        BitSet conditional = new BitSet();
        BitSet scoped = new BitSet();
        BitSet deniedEverywhere = new BitSet();
        BitSet deniedUnlessCondition = new BitSet();
        BitSet deniedOnMostResources = new BitSet();
        List<Grant> grants = new ArrayList<>();
        List<ActionPattern> unknown = new ArrayList<>();
        List<DenyReason> denyReasons = new ArrayList<>();
        for (SourcedPolicy policy : policies) {
            if (policy.document().isEmpty()) {
                continue;
            }
            PolicyDocument doc = policy.document().get();
            for (Statement s : doc.statements()) {
                BitSet actions = actionsOf(catalog, s.actions(), matcher.apply(s.actions()),
                        s.effect() == Effect.ALLOW ? unknown : null);
                Optional<String> selfNamed = s.effect() == Effect.ALLOW && !coversAllResources(s.resources())
                        ? names.unscoping(s) : Optional.empty();
                boolean allResources = coversAllResources(s.resources()) || selfNamed.isPresent();
                SettableConditions.Judgement judged = s.effect() == Effect.ALLOW
                        ? settable.judge(s, policy, actions, catalog)
                        : new SettableConditions.Judgement(Conditions.restriction(s.conditions()), Optional.empty());
                Optional<String> restriction = judged.restriction();
                if (s.effect() == Effect.ALLOW) {
                    grants.add(new Grant(policy, s, actions, allResources, restriction, selfNamed.or(judged::notNarrowing)));
                    if (!allResources) {
                        scoped.or(actions);
                    } else if (restriction.isPresent()) {
                        conditional.or(actions);
                    } else {
                        unscoped.or(actions);
                    }
                } else {
                    if (!s.conditions().isEmpty()) {
                        Optional<String> why = Conditions.denyRestriction(s.conditions());
                        if (why.isPresent()) {
                            deniedUnlessCondition.or(actions);
                            denyReasons.add(new DenyReason(actions, why.get()));
                        }
                        // A Deny on a condition that narrows nothing (TLS, region) leaves the grant as it was.
                    } else if (allResources) {
                        deniedEverywhere.or(actions);
                    } else if (s.resources() instanceof ResourceSpec.Not) {
                        deniedOnMostResources.or(actions);
                    }
                }
            }
        }
        // A conditional Deny leaves the action allowed only when its condition does not hold.
        BitSet moved = (BitSet) unscoped.clone();
        moved.and(deniedUnlessCondition);
        unscoped.andNot(deniedUnlessCondition);
        conditional.or(moved);
        // A Deny with NotResource leaves the action allowed only on the excepted resources.
        moved = (BitSet) unscoped.clone();
        moved.or(conditional);
        moved.and(deniedOnMostResources);
        unscoped.andNot(deniedOnMostResources);
        conditional.andNot(deniedOnMostResources);
        scoped.or(moved);
        unscoped.andNot(deniedEverywhere);
        conditional.andNot(deniedEverywhere);
        scoped.andNot(deniedEverywhere);
        // Scoped only where it is not also broad.
        scoped.andNot(unscoped);
        scoped.andNot(conditional);
        conditional.andNot(unscoped);
        if (boundary.isPresent() && boundary.get().document().isPresent()) {
            Permissions limit = of(catalog, List.of(boundary.get()), Optional.empty(), matcher);
            BitSet boundaryAny = limit.any;
            BitSet boundaryBroad = limit.unscoped;
            unscoped.and(boundaryAny);
            conditional.and(boundaryAny);
            scoped.and(boundaryAny);
            // Allowed broadly by the policies but only on named resources (or conditionally) by the boundary.
            BitSet narrowed = (BitSet) unscoped.clone();
            narrowed.andNot(boundaryBroad);
            unscoped.andNot(narrowed);
            BitSet toScoped = (BitSet) narrowed.clone();
            toScoped.and(limit.scoped);
            scoped.or(toScoped);
            narrowed.andNot(limit.scoped);
            conditional.or(narrowed);
        }
        return new Permissions(catalog, grants, unscoped, conditional, scoped, unknown, denyReasons);
    }

    /** The catalogue's match of each pattern of an Action or NotAction element, in order. */
    static ActionCatalog.Match[] lookup(ActionCatalog catalog, ActionSpec spec) {
        List<ActionPattern> patterns = spec.patterns();
        ActionCatalog.Match[] matches = new ActionCatalog.Match[patterns.size()];
        for (int i = 0; i < matches.length; i++) {
            matches[i] = catalog.match(patterns.get(i));
        }
        return matches;
    }

    /**
     * The catalogue actions a statement's Action (or NotAction) element covers, given its patterns' matches; the
     * listed patterns that match no action are added to {@code unknown} when it is given.
     */
    static BitSet actionsOf(ActionCatalog catalog, ActionSpec spec, ActionCatalog.Match[] matches,
                            List<ActionPattern> unknown) {
        // Sized to the highest action matched, not the catalogue: most statements name a few services' actions,
        // and a set that grows as patterns are added copies itself each time.
        List<ActionPattern> patterns = spec.patterns();
        int end = 0;
        for (ActionCatalog.Match m : matches) {
            end = Math.max(end, m.end());
        }
        BitSet bits = new BitSet(end);
        boolean listed = unknown != null && spec instanceof ActionSpec.Listed;
        for (int i = 0; i < matches.length; i++) {
            matches[i].addTo(bits);
            if (listed && !patterns.get(i).opaque() && matches[i].isEmpty()) {
                unknown.add(patterns.get(i));
            }
        }
        if (spec instanceof ActionSpec.Not) {
            BitSet all = catalog.everything();
            all.andNot(bits);
            return all;
        }
        return bits;
    }

    /** True for {@code Resource: "*"}-like patterns and for NotResource (which allows everything but a few). */
    static boolean coversAllResources(ResourceSpec spec) {
        if (spec instanceof ResourceSpec.Not) {
            return true;
        }
        if (spec instanceof ResourceSpec.Listed listed) {
            for (ResourcePattern r : listed.patterns()) {
                if (r.isUnscoped()) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    public ActionCatalog catalog() {
        return catalog;
    }

    public List<Grant> grants() {
        return grants;
    }

    /** Allowed on all resources with no restrictive condition. Do not modify. */
    public BitSet unscoped() {
        return unscoped;
    }

    /** Allowed on all resources under a restrictive condition. Do not modify. */
    public BitSet conditional() {
        return conditional;
    }

    /** Allowed on named resources only. Do not modify. */
    public BitSet scoped() {
        return scoped;
    }

    /** Allowed in any way. Do not modify. */
    public BitSet any() {
        return any;
    }

    /** Allowed on all resources, with or without a restrictive condition. Do not modify. */
    public BitSet broad() {
        return broad;
    }

    /** Listed Allow actions that the catalogue does not know (newer than the catalogue, or typos). */
    public List<ActionPattern> unknownAllowed() {
        return unknownAllowed;
    }

    public boolean isEmpty() {
        return any.isEmpty();
    }

    /**
     * The Allow statement that grants this action most broadly: on all resources without a restrictive condition
     * if one does, else on all resources under a condition, else on named resources.
     */
    public Optional<Grant> grantOf(int action) {
        Grant conditionalGrant = null;
        Grant scopedGrant = null;
        for (Grant g : grants) {
            if (!g.actions().get(action)) {
                continue;
            }
            if (g.allResources() && g.restriction().isEmpty()) {
                return Optional.of(g);
            }
            if (g.allResources() && conditionalGrant == null) {
                conditionalGrant = g;
            } else if (!g.allResources() && scopedGrant == null) {
                scopedGrant = g;
            }
        }
        return Optional.ofNullable(conditionalGrant != null ? conditionalGrant : scopedGrant);
    }

    /** Why an action is only conditionally allowed: the Allow's own condition, or a conditional Deny. */
    public Optional<String> restrictionOf(int action) {
        if (!conditional.get(action)) {
            return Optional.empty();
        }
        for (Grant g : grants) {
            if (g.actions().get(action) && g.allResources() && g.restriction().isPresent()) {
                return g.restriction();
            }
        }
        for (DenyReason d : denyReasons) {
            if (d.actions().get(action)) {
                return Optional.of(d.why());
            }
        }
        return Optional.of("limited by the permissions boundary");
    }

    /** Whether every action of {@code actions} is allowed broadly (on all resources). */
    public boolean allowsBroadly(BitSet actions) {
        for (int i = actions.nextSetBit(0); i >= 0; i = actions.nextSetBit(i + 1)) {
            if (!broad.get(i)) {
                return false;
            }
        }
        return true;
    }

    public String name(int action) {
        return catalog.action(action).fullName();
    }

    /** Up to {@code limit} action names of a set, for messages: {@code `iam:PassRole`, `iam:CreateRole` and 12 more}. */
    public static String sample(ActionCatalog catalog, BitSet actions, int limit) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = actions.nextSetBit(0); i >= 0 && shown < limit; i = actions.nextSetBit(i + 1)) {
            if (shown > 0) {
                sb.append(", ");
            }
            sb.append('`').append(catalog.action(i).fullName()).append('`');
            shown++;
        }
        int rest = actions.cardinality() - shown;
        if (rest > 0) {
            sb.append(" and ").append(rest).append(" more");
        }
        return sb.toString();
    }
}
