package io.iamguardrail.paths;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.IamAction;
import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.engine.SourcedPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The account as the edge kinds read it: its members by ARN and kind, each member's {@link Access} (computed once,
 * and shared by members that hold the very same policies), the administrators, the trust index, the members that
 * may do each action a hop needs, and the catalogue's index of each such action.
 */
final class AccountView {

    final ActionCatalog catalog;
    final Knowledge knowledge;
    final Trusts trusts;
    final List<Member> roles = new ArrayList<>();
    final List<Member> users = new ArrayList<>();
    final List<Member> groups = new ArrayList<>();
    private final Map<String, Member> byArn = new LinkedHashMap<>();
    private final List<Member> all;
    private final Map<Member, Access> access = new IdentityHashMap<>();
    private final Map<List<String>, Access> bySamePolicies = new HashMap<>();
    private final Map<Integer, List<Member>> holding = new HashMap<>();
    private final Map<Integer, PatternIndex> byPattern = new HashMap<>();
    private final Set<String> admins = new LinkedHashSet<>();

    AccountView(ActionCatalog catalog, Knowledge knowledge, List<Member> members) {
        this.catalog = catalog;
        this.knowledge = knowledge;
        for (Member m : members) {
            byArn.put(m.arn(), m);
            switch (m.kind()) {
                case ROLE -> roles.add(m);
                case USER -> users.add(m);
                case GROUP -> groups.add(m);
                case PROVIDER -> { /* providers are made from trust policies, never given */ }
            }
        }
        this.trusts = new Trusts(catalog, roles);
        this.all = List.copyOf(byArn.values());
        for (Member m : byArn.values()) {
            if (access(m).isAdmin()) {
                admins.add(m.arn());
            }
        }
    }

    /** The members with administrator access themselves. */
    Set<String> admins() {
        return admins;
    }

    /**
     * The members that are not administrators and whose effective permissions allow {@code action} in some way: the
     * only candidate sources of a hop that needs it. Administrators need no hop.
     */
    List<Member> holding(int action) {
        return holding.computeIfAbsent(action, k -> {
            List<Member> out = new ArrayList<>();
            for (Member m : byArn.values()) {
                if (!admins.contains(m.arn()) && m.kind() != Member.Kind.PROVIDER && access(m).effective().any().get(action)) {
                    out.add(m);
                }
            }
            return List.copyOf(out);
        });
    }

    Optional<Member> member(String arn) {
        return Optional.ofNullable(byArn.get(arn));
    }

    List<Member> members() {
        return all;
    }

    int action(String name) {
        IamAction a = catalog.find(name);
        if (a == null) {
            throw new IllegalStateException("expected `" + name + "` in the action catalogue but it is missing");
        }
        return a.index();
    }

    /** The members of {@link #holding} whose grants of the action could cover {@code arn} (by {@link PatternIndex}). */
    List<Member> holding(int action, String arn) {
        return byPattern.computeIfAbsent(action, a -> new PatternIndex(holding(a), m -> access(m).effective(), a))
                .candidates(arn);
    }

    /** What the member may do; members with the same policies and boundary share one computation. */
    Access access(Member m) {
        return access.computeIfAbsent(m, member -> {
            List<String> key = new ArrayList<>();
            // A template's policies share one source (the file): where each document is written tells them apart.
            m.subject().permissions().forEach(p -> key.add(identity(p)));
            key.add("|" + m.subject().boundary().map(AccountView::identity).orElse(""));
            if (m.kind() == Member.Kind.USER) {
                key.add(m.name()); // a policy variable (${aws:username}) reads the user's own name
            }
            return bySamePolicies.computeIfAbsent(key,
                    k -> Access.of(catalog, m.name(), m.subject().permissions(), m.subject().boundary()));
        });
    }

    private static String identity(SourcedPolicy p) {
        return p.source() + "|" + p.name() + "|" + p.document().map(d -> d.at().toString()).orElse("");
    }
}
