package io.iamguardrail.paths;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.Glob;
import io.iamguardrail.engine.Conditions;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.Privilege;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.policy.ActionPattern;
import io.iamguardrail.policy.ActionSpec;
import io.iamguardrail.policy.Condition;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.ResourcePattern;
import io.iamguardrail.policy.ResourceSpec;
import io.iamguardrail.policy.Statement;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What one principal may do to one resource, from the effective permissions the engine computes
 * ({@link Permissions}: allows, unconditional and conditional denies, the boundary, conditions that really narrow).
 * The engine answers per action (on all resources, conditionally, or on named resources); this adds the resource:
 * a grant on named resources counts where its {@code Resource} matches, the boundary must allow the same, and an
 * explicit Deny (unconditional, or unless a narrowing condition holds) takes away what it names. A grant that holds only under a narrowing
 * condition counts only where the caller says the condition is met ({@code met}: {@code iam:PassedToService}).
 */
final class Access {

    private static final Predicate<Condition> NONE_MET = c -> false;

    private final String name;
    private final Permissions effective;
    private final Optional<Permissions> boundary;
    private final List<Statement> denies;
    /** Each conditional grant's narrowing conditions, read once. */
    private final Map<Statement, List<Condition>> narrowing = new IdentityHashMap<>();

    private Access(String name, Permissions effective, Optional<Permissions> boundary, List<Statement> denies) {
        this.name = name;
        this.effective = effective;
        this.boundary = boundary;
        this.denies = denies;
    }

    static Access of(ActionCatalog catalog, String name, List<SourcedPolicy> permissions, Optional<SourcedPolicy> boundary) {
        List<SourcedPolicy> granting = permissions.stream()
                .filter(p -> p.document().isPresent() && p.kind() != PolicyKind.TRUST && p.kind() != PolicyKind.RESOURCE)
                .toList();
        Permissions effective = Permissions.of(catalog, granting, boundary);
        Optional<Permissions> limit = boundary.filter(b -> b.document().isPresent())
                .map(b -> Permissions.of(catalog, List.of(b), Optional.empty()));
        List<Statement> denies = new ArrayList<>();
        for (SourcedPolicy p : granting) {
            for (Statement s : p.document().get().statements()) {
                // Unconditional, or unless a narrowing condition holds (MFA, network): either stops a taken identity.
                if (!s.isAllow() && (s.conditions().isEmpty() || Conditions.denyRestriction(s.conditions()).isPresent())) {
                    denies.add(s);
                }
            }
        }
        return new Access(name, effective, limit, List.copyOf(denies));
    }

    Permissions effective() {
        return effective;
    }

    /** Administrator access in effect, on all resources and without a narrowing condition. */
    boolean isAdmin() {
        BitSet level = effective.unscoped();
        return Privilege.isAdmin(effective, level) || Privilege.adminInEffect(effective, level).isPresent();
    }

    /**
     * Whether nothing stops the action on {@code arn} when a resource policy (a role's trust naming the principal)
     * grants it without an identity grant: no Deny names it, and the boundary, if any, allows it there.
     */
    boolean unblocked(int action, String arn) {
        return !denied(action, arn) && (boundary.isEmpty() || granting(boundary.get(), action, arn, NONE_MET).isPresent());
    }

    /** Whether the action is allowed on some resource (a compute service's create or update call). */
    Optional<Permissions.Grant> somewhere(int action) {
        if (!effective.unscoped().get(action) && !effective.scoped().get(action)) {
            return Optional.empty();
        }
        return effective.grantOf(action).filter(g -> g.restriction().isEmpty());
    }

    /** The grant that lets the principal do {@code action} on {@code arn}, if the effective permissions allow it. */
    Optional<Permissions.Grant> on(int action, String arn) {
        return on(action, arn, NONE_MET);
    }

    Optional<Permissions.Grant> on(int action, String arn, Predicate<Condition> met) {
        boolean conditional = effective.conditional().get(action);
        if (!effective.unscoped().get(action) && !effective.scoped().get(action) && !(conditional && met != NONE_MET)) {
            return Optional.empty();
        }
        if (denied(action, arn)) {
            return Optional.empty();
        }
        if (boundary.isPresent() && granting(boundary.get(), action, arn, met).isEmpty()) {
            return Optional.empty();
        }
        return granting(effective, action, arn, met);
    }

    private Optional<Permissions.Grant> granting(Permissions p, int action, String arn, Predicate<Condition> met) {
        for (Permissions.Grant g : p.grants()) {
            if (g.actions().get(action) && holds(g, met) && covers(g.statement().resources(), arn)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** Without a narrowing condition, or with every narrowing condition one the caller says is met. */
    private boolean holds(Permissions.Grant g, Predicate<Condition> met) {
        if (g.restriction().isEmpty()) {
            return true;
        }
        for (Condition c : narrowing.computeIfAbsent(g.statement(), st -> st.conditions().stream()
                .filter(Conditions::isRestrictive).toList())) {
            if (!met.test(c)) {
                return false;
            }
        }
        return true;
    }

    private boolean denied(int action, String arn) {
        for (Statement s : denies) {
            if (actionIn(s, action) && covers(s.resources(), arn)) {
                return true;
            }
        }
        return false;
    }

    private boolean actionIn(Statement s, int action) {
        String full = effective.name(action).toLowerCase(Locale.ROOT);
        boolean listed = false;
        for (ActionPattern p : s.actions().patterns()) {
            if (!p.opaque() && Glob.matches(p.key(), full)) {
                listed = true;
                break;
            }
        }
        return s.actions() instanceof ActionSpec.Not ? !listed : listed;
    }

    private boolean covers(ResourceSpec spec, String arn) {
        if (spec instanceof ResourceSpec.Implicit) {
            return true;
        }
        boolean any = false;
        for (ResourcePattern r : spec instanceof ResourceSpec.Listed l ? l.patterns() : ((ResourceSpec.Not) spec).patterns()) {
            if (!r.opaque() && Glob.matches(expand(r.value()), arn)) {
                any = true;
                break;
            }
        }
        return spec instanceof ResourceSpec.Not ? !any : any;
    }

    /** A policy variable: the principal's own name for {@code ${aws:username}}, anything for the others. */
    private String expand(String pattern) {
        if (pattern.indexOf("${") < 0) {
            return pattern;
        }
        return pattern.replace("${aws:username}", name).replaceAll("\\$\\{[^}]*}", "*");
    }
}
