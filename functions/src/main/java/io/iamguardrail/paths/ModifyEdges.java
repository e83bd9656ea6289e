package io.iamguardrail.paths;

import io.iamguardrail.engine.Permissions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

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

    /**
     * @param reached the hops already found from {@code source} (assume, pass-role, credentials, runtime): the
     *                principals it acts as, whose permissions it may then also change
     */
    static void add(AccountView v, Member source, List<Hop> reached, Consumer<Hop> out) {
        Access a = v.access(source);
        Map<String, String> actsAs = new LinkedHashMap<>();
        actsAs.put(source.arn(), "which is itself");
        source.groupArns().forEach(g -> actsAs.putIfAbsent(g, "a group it belongs to"));
        reached.forEach(h -> actsAs.putIfAbsent(h.to(), "which it reaches by " + h.method().id()));
        for (Map.Entry<String, String> e : actsAs.entrySet()) {
            v.member(e.getKey()).flatMap(t -> administrator(v, a, t, e.getValue())).ifPresent(evidence ->
                    out.accept(new Hop(source.arn(), PrivilegeGraph.ADMIN, Method.MODIFY, evidence, Optional.empty(),
                            reached.stream().anyMatch(h -> h.to().equals(e.getKey()) && h.potential()))));
        }
        if (!source.acts()) {
            return;
        }
        int update = v.action("iam:UpdateAssumeRolePolicy");
        if (a.effective().any().get(update)) {
            for (Member role : v.roles) {
                if (!role.arn().equals(source.arn())) {
                    a.on(update, role.arn()).ifPresent(g -> out.accept(new Hop(source.arn(), role.arn(), Method.MODIFY,
                            Evidence.of(g, "may rewrite the trust of `" + role.arn() + "` to admit itself, then assume it"
                                    + " (`iam:UpdateAssumeRolePolicy`)"), Optional.empty(), false)));
                }
            }
        }
        int join = v.action("iam:AddUserToGroup");
        if (source.kind() == Member.Kind.USER && a.effective().any().get(join)) {
            for (Member group : v.groups) {
                if (!source.groupArns().contains(group.arn())) {
                    a.on(join, group.arn()).ifPresent(g -> out.accept(new Hop(source.arn(), group.arn(), Method.MODIFY,
                            Evidence.of(g, "may add itself to group `" + group.arn() + "` (`iam:AddUserToGroup`)"),
                            Optional.empty(), false)));
                }
            }
        }
    }

    /** How the source may give {@code target} any permission, if it may. */
    private static Optional<Evidence> administrator(AccountView v, Access a, Member target, String how) {
        String who = "`" + target.arn() + "`, " + how;
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
