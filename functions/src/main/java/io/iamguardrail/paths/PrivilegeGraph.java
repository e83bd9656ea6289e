package io.iamguardrail.paths;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.config.Severity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who can come to act as whom in one account, and who thereby reaches administrator access: roles, users and groups
 * (and the identity providers that sign in to roles) joined by {@link Hop}s of each {@link Method}, from the
 * engine's effective permissions and the trust policies. The graph is walked backwards from administrator access:
 * only the hops into principals on the way there are computed, each from the index of whom the target's trust
 * admits and of who may do the hop's action, never by testing every pair. Pure; not thread-safe.
 */
public final class PrivilegeGraph {

    /** The node that stands for administrator access (or the power to give any principal any permission). */
    public static final String ADMIN = "admin";

    private final AccountView v;
    private final PassRoleEdges passRole;
    private final Map<String, List<Hop>> into = new HashMap<>();

    private PrivilegeGraph(AccountView v) {
        this.v = v;
        this.passRole = new PassRoleEdges(v);
    }

    public static PrivilegeGraph build(ActionCatalog catalog, Knowledge knowledge, List<Member> members) {
        return new PrivilegeGraph(new AccountView(catalog, knowledge, members));
    }

    /** The members with administrator access themselves. */
    public Set<String> admins() {
        return v.admins();
    }

    /** The hops into a principal (an ARN) or into {@link #ADMIN}; administrators have no hop out. */
    public List<Hop> into(String node) {
        List<Hop> cached = into.get(node);
        if (cached != null) {
            return cached;
        }
        List<Hop> hops = new ArrayList<>();
        if (node.equals(ADMIN)) {
            ModifyEdges.intoAdmin(v, this::into, hops::add);
        } else {
            Optional<Member> m = v.member(node);
            if (m.isPresent() && m.get().kind() == Member.Kind.ROLE) {
                AssumeEdges.into(v, m.get(), hops::add);
                passRole.into(m.get(), hops::add);
                RuntimeEdges.into(v, m.get(), hops::add);
                ModifyEdges.intoRole(v, m.get(), hops::add);
            } else if (m.isPresent() && m.get().kind() == Member.Kind.USER) {
                CredentialEdges.into(v, m.get(), hops::add);
            } else if (m.isPresent() && m.get().kind() == Member.Kind.GROUP) {
                ModifyEdges.intoGroup(v, m.get(), hops::add);
            }
        }
        List<Hop> kept = List.copyOf(hops);
        into.put(node, kept);
        return kept;
    }

    /** How many hops have been computed so far (those into principals on the way to an end). */
    public int hopCount() {
        return into.values().stream().mapToInt(List::size).sum();
    }

    /**
     * For every role, user and identity provider that is not an administrator itself: its shortest path to
     * administrator access, else (roles and users) to a principal of {@code critical} (those with a CRITICAL finding). Hops that are
     * certain are preferred to potential ones, whatever their number.
     */
    public List<PrivilegePath> paths(Collection<String> critical) {
        Set<String> toAdmin = new LinkedHashSet<>(v.admins());
        toAdmin.add(ADMIN);
        Map<String, Hop> certain = shortest(toAdmin, false);
        Map<String, Hop> any = shortest(toAdmin, true);
        Set<String> criticalSet = new LinkedHashSet<>(critical);
        criticalSet.removeAll(v.admins());
        Map<String, Hop> toCritical = criticalSet.isEmpty() ? Map.of() : shortest(criticalSet, true);
        Map<String, PrivilegePath> found = new TreeMap<>();
        for (String s : any.keySet()) {
            if (acts(s)) {
                found.put(s, certain.containsKey(s) ? path(s, certain, toAdmin, ADMIN, Severity.CRITICAL)
                        : path(s, any, toAdmin, ADMIN, Severity.HIGH));
            }
        }
        for (String s : toCritical.keySet()) {
            // An identity provider's hop into a role with a critical finding repeats that finding: providers count to admin.
            if (acts(s) && v.member(s).isPresent() && !found.containsKey(s) && !criticalSet.contains(s)
                    && !v.admins().contains(s)) {
                found.put(s, path(s, toCritical, criticalSet, null, Severity.HIGH));
            }
        }
        return List.copyOf(found.values());
    }

    /** A role or user, or an identity provider: what can start a path (a group only lends its policies). */
    private boolean acts(String node) {
        return v.member(node).map(Member::acts).orElse(!node.equals(ADMIN));
    }

    private static PrivilegePath path(String start, Map<String, Hop> next, Set<String> ends, String reaches, Severity severity) {
        List<Hop> hops = new ArrayList<>();
        String at = start;
        while (!ends.contains(at)) {
            Hop h = next.get(at);
            hops.add(h);
            at = h.to();
        }
        return new PrivilegePath(start, reaches != null ? reaches : at, severity, hops);
    }

    /** Breadth-first from the ends along hops backwards: for each node that reaches one, its first hop on a shortest way. */
    private Map<String, Hop> shortest(Set<String> ends, boolean potential) {
        Map<String, Hop> next = new HashMap<>();
        Set<String> seen = new LinkedHashSet<>(ends);
        Deque<String> queue = new ArrayDeque<>(ends);
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (Hop h : into(at)) {
                if ((potential || !h.potential()) && seen.add(h.from())) {
                    next.put(h.from(), h);
                    queue.add(h.from());
                }
            }
        }
        return next;
    }
}
