package io.iamguardrail.paths;

import io.iamguardrail.engine.Permissions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Changes to a principal's permissions or trust. Giving a principal any permission (attach or put a policy, a new
 * default version of a customer-managed policy it holds, removing the boundary that alone keeps it from
 * administrator access) is administrator access for the source when the source acts as that principal: it is
 * the principal, a member of the group, or has a hop to it. Rewriting a role's trust acts as the role; adding
 * oneself to a group acts with the group's policies.
 */
final class ModifyEdges {

    private record Grant(String role, String user, String group) {
    }

    private static final Grant ATTACH = new Grant("iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:AttachGroupPolicy");
    private static final Grant PUT = new Grant("iam:PutRolePolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy");

    private ModifyEdges() {
    }

    private static final List<String> GIVING = List.of("iam:AttachRolePolicy", "iam:AttachUserPolicy",
            "iam:AttachGroupPolicy", "iam:PutRolePolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy",
            "iam:CreatePolicyVersion", "iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary");

    /** Rewriting the role's trust to admit oneself, then assuming it. */
    static void intoRole(AccountView v, Member role, Consumer<Hop> out) {
        int update = v.action("iam:UpdateAssumeRolePolicy");
        for (Member s : v.holding(update, role.arn())) {
            if (s.acts() && !s.arn().equals(role.arn())) {
                v.access(s).on(update, role.arn()).ifPresent(g -> out.accept(new Hop(s.arn(), role.arn(), Method.MODIFY,
                        Evidence.of(g, "may rewrite the trust of `" + role.arn() + "` to admit itself, then assume it"
                                + " (`iam:UpdateAssumeRolePolicy`)"), Optional.empty(), false)));
            }
        }
    }

    /** Adding oneself to the group, then acting with its policies. */
    static void intoGroup(AccountView v, Member group, Consumer<Hop> out) {
        int join = v.action("iam:AddUserToGroup");
        for (Member s : v.holding(join, group.arn())) {
            if (s.kind() == Member.Kind.USER && !s.groupArns().contains(group.arn())) {
                v.access(s).on(join, group.arn()).ifPresent(g -> out.accept(new Hop(s.arn(), group.arn(), Method.MODIFY,
                        Evidence.of(g, "may add itself to group `" + group.arn() + "` (`iam:AddUserToGroup`)"),
                        Optional.empty(), false)));
            }
        }
    }

    /**
     * Administrator access by giving any permission to a principal the source acts as: itself, a group it belongs
     * to, or a principal it has a hop to ({@code into}: the hops into a principal).
     */
    static void intoAdmin(AccountView v, Function<String, List<Hop>> into, Consumer<Hop> out) {
        Map<String, Member> sources = new LinkedHashMap<>();
        GIVING.forEach(action -> v.holding(v.action(action)).forEach(m -> sources.putIfAbsent(m.arn(), m)));
        for (Member s : sources.values()) {
            Access a = v.access(s);
            Map<String, String> own = new LinkedHashMap<>();
            own.put(s.arn(), "which is itself");
            s.groupArns().forEach(g -> own.putIfAbsent(g, "a group it belongs to"));
            Optional<Hop> found = Optional.empty();
            for (Map.Entry<String, String> e : own.entrySet()) {
                found = found.or(() -> v.member(e.getKey()).flatMap(t -> administrator(v, a, t, e.getValue()))
                        .map(ev -> new Hop(s.arn(), PrivilegeGraph.ADMIN, Method.MODIFY, ev, Optional.empty(), false)));
            }
            if (found.isEmpty() && s.acts()) {
                found = throughOthers(v, into, s, a);
            }
            found.ifPresent(out);
        }
    }

    /** A principal the source may give any permission to and has a hop to, the certain hop first. */
    private static Optional<Hop> throughOthers(AccountView v, Function<String, List<Hop>> into, Member s, Access a) {
        Hop potential = null;
        for (Member t : v.members()) {
            if (t.arn().equals(s.arn()) || v.admins().contains(t.arn()) || administrator(v, a, t, "").isEmpty()) {
                continue;
            }
            for (Hop h : into.apply(t.arn())) {
                if (h.from().equals(s.arn())) {
                    Hop hop = new Hop(s.arn(), PrivilegeGraph.ADMIN, Method.MODIFY, administrator(v, a, t,
                            "which it reaches by " + h.method().id()).orElseThrow(), Optional.empty(), h.potential());
                    if (!h.potential()) {
                        return Optional.of(hop);
                    }
                    potential = potential == null ? hop : potential;
                }
            }
        }
        return Optional.ofNullable(potential);
    }

    /** How the source may give {@code target} any permission, if it may. */
    private static Optional<Evidence> administrator(AccountView v, Access a, Member target, String how) {
        String who = "`" + target.arn() + "`" + (how.isEmpty() ? "" : ", " + how);
        for (Grant kind : List.of(ATTACH, PUT)) {
            String action = switch (target.kind()) {
                case ROLE -> kind.role();
                case USER -> kind.user();
                case GROUP -> kind.group();
                case PROVIDER -> null;
            };
            if (action != null) {
                Optional<Permissions.Grant> g = a.on(v.action(action), target.arn());
                if (g.isPresent()) {
                    return Optional.of(Evidence.of(g.get(), "may give any permission to " + who + " (`" + action + "`)"));
                }
            }
        }
        int version = v.action("iam:CreatePolicyVersion");
        for (String policy : target.attachedPolicyArns()) {
            if (!policy.contains(":iam::aws:policy/")) {
                Optional<Permissions.Grant> g = a.on(version, policy);
                if (g.isPresent()) {
                    return Optional.of(Evidence.of(g.get(), "may write a new default version of `" + policy
                            + "`, held by " + who + " (`iam:CreatePolicyVersion`)"));
                }
            }
        }
        if (target.subject().boundary().isPresent() && target.kind() != Member.Kind.GROUP) {
            String action = target.kind() == Member.Kind.ROLE ? "iam:DeleteRolePermissionsBoundary" : "iam:DeleteUserPermissionsBoundary";
            Optional<Permissions.Grant> g = a.on(v.action(action), target.arn());
            if (g.isPresent() && Access.of(v.catalog, target.name(), target.subject().permissions(), Optional.empty()).isAdmin()) {
                return Optional.of(Evidence.of(g.get(), "may remove the permissions boundary that alone keeps " + who
                        + " from administrator access (`" + action + "`)"));
            }
        }
        return Optional.empty();
    }
}
