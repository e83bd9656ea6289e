package io.iamguardrail.paths;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.config.Severity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who can come to act as whom in one account, and who thereby reaches administrator access: roles, users and groups
 * (and the identity providers that sign in to roles) joined by {@link Hop}s of each {@link Method}, built from the
 * engine's effective permissions and the trust policies through indexes, never by testing every pair. Pure.
 */
public final class PrivilegeGraph {

    /** The node that stands for administrator access (or the power to give any principal any permission). */
    public static final String ADMIN = "admin";

    private final Map<String, List<Hop>> out;
    private final Set<String> admins;
    private final List<String> sources;

    private PrivilegeGraph(Map<String, List<Hop>> out, Set<String> admins, List<String> sources) {
        this.out = out;
        this.admins = admins;
        this.sources = sources;
    }

    public static PrivilegeGraph build(ActionCatalog catalog, Knowledge knowledge, List<Member> members) {
        AccountView v = new AccountView(catalog, knowledge, members);
        Map<String, List<Hop>> out = new LinkedHashMap<>();
        Set<String> admins = new LinkedHashSet<>();
        List<String> sources = new ArrayList<>();
        PassRoleEdges passRole = new PassRoleEdges(v);
        for (Member m : v.members()) {
            if (v.access(m).isAdmin()) {
                admins.add(m.arn());
            }
            if (m.acts()) {
                sources.add(m.arn());
            }
            List<Hop> hops = new ArrayList<>();
            AssumeEdges.add(v, m, hops::add);
            passRole.add(m, hops::add);
            CredentialEdges.add(v, m, hops::add);
            RuntimeEdges.add(v, m, hops::add);
            ModifyEdges.add(v, m, List.copyOf(hops), hops::add);
            if (!hops.isEmpty()) {
                out.put(m.arn(), hops);
            }
        }
        AssumeEdges.fromProviders(v, h -> out.computeIfAbsent(h.from(), k -> {
            sources.add(k);
            return new ArrayList<>();
        }).add(h));
        return new PrivilegeGraph(out, admins, sources);
    }

    /** The members with administrator access themselves. */
    public Set<String> admins() {
        return admins;
    }

    public List<Hop> hops(String from) {
        return out.getOrDefault(from, List.of());
    }

    public int hopCount() {
        return out.values().stream().mapToInt(List::size).sum();
    }

    /**
     * For every role, user and identity provider that is not an administrator itself: its shortest path to
     * administrator access, else to a principal of {@code critical} (those with a CRITICAL finding). Hops that are
     * certain are preferred to potential ones, whatever their number.
     */
    public List<PrivilegePath> paths(Collection<String> critical) {
        Set<String> toAdmin = new LinkedHashSet<>(admins);
        toAdmin.add(ADMIN);
        Map<String, Hop> certain = shortest(toAdmin, false);
        Map<String, Hop> any = shortest(toAdmin, true);
        Set<String> criticalSet = new LinkedHashSet<>(critical);
        Map<String, Hop> toCritical = criticalSet.isEmpty() ? Map.of() : shortest(criticalSet, true);
        Map<String, PrivilegePath> found = new TreeMap<>();
        for (String s : sources) {
            if (admins.contains(s)) {
                continue;
            }
            if (certain.containsKey(s)) {
                found.put(s, path(s, certain, toAdmin, ADMIN, Severity.CRITICAL));
            } else if (any.containsKey(s)) {
                found.put(s, path(s, any, toAdmin, ADMIN, Severity.HIGH));
            } else if (toCritical.containsKey(s) && !criticalSet.contains(s)) {
                found.put(s, path(s, toCritical, criticalSet, null, Severity.HIGH));
            }
        }
        return List.copyOf(found.values());
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

    /** Breadth-first from the ends along reversed hops: for each node that reaches one, its first hop on a shortest way. */
    private Map<String, Hop> shortest(Set<String> ends, boolean potential) {
        Map<String, List<Hop>> in = new HashMap<>();
        out.values().forEach(list -> list.forEach(h -> {
            if (potential || !h.potential()) {
                in.computeIfAbsent(h.to(), k -> new ArrayList<>()).add(h);
            }
        }));
        Map<String, Hop> next = new HashMap<>();
        Set<String> seen = new LinkedHashSet<>(ends);
        Deque<String> queue = new ArrayDeque<>(ends);
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (Hop h : in.getOrDefault(at, List.of())) {
                if (seen.add(h.from())) {
                    next.put(h.from(), h);
                    queue.add(h.from());
                }
            }
        }
        return next;
    }
}
