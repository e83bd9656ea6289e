package io.iamguardrail.paths;

import io.iamguardrail.engine.Permissions;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code sts:AssumeRole} that the target's trust admits. A trust that names the source's ARN admits it within the
 * account by itself, unless a Deny or the source's boundary stops it; a trust that names the account's root or
 * {@code *} admits only principals whose own policies allow them to assume the role.
 */
final class AssumeEdges {

    private AssumeEdges() {
    }

    static void add(AccountView v, Member source, Consumer<Hop> out) {
        Access a = v.access(source);
        int assume = v.action("sts:AssumeRole");
        Set<String> done = new HashSet<>();
        for (Trusts.Admit t : v.trusts.naming(source.arn())) {
            String role = t.role().arn();
            if (!role.equals(source.arn()) && t.admits(source.arn()) && a.unblocked(assume, role) && done.add(role)) {
                Optional<Permissions.Grant> g = a.on(assume, role);
                Evidence trust = t.evidence("the trust names `" + source.arn() + "`");
                out.accept(new Hop(source.arn(), role, Method.ASSUME, g.map(x -> Evidence.of(x, "may call `sts:AssumeRole` on `"
                        + role + "`")).orElse(trust), g.isPresent() ? Optional.of(trust) : Optional.empty(), false));
            }
        }
        if (!a.effective().any().get(assume)) {
            return;
        }
        for (List<Trusts.Admit> list : List.of(v.trusts.root(), v.trusts.everyone())) {
            for (Trusts.Admit t : list) {
                String role = t.role().arn();
                if (role.equals(source.arn()) || done.contains(role) || !t.admits(source.arn())) {
                    continue;
                }
                Optional<Permissions.Grant> g = a.on(assume, role);
                if (g.isPresent() && done.add(role)) {
                    out.accept(new Hop(source.arn(), role, Method.ASSUME, Evidence.of(g.get(), "may call `sts:AssumeRole` on `"
                            + role + "`"), Optional.of(t.evidence(list == v.trusts.root()
                            ? "the trust admits the account's principals that are allowed to" : "the trust admits `*`")), false));
                }
            }
        }
    }

    /** An identity provider signs its users in to the roles whose trust admits it: an entry point into the account. */
    static void fromProviders(AccountView v, Consumer<Hop> out) {
        v.trusts.providers().forEach((provider, admits) -> {
            Set<String> done = new HashSet<>();
            for (Trusts.Admit t : admits) {
                if (done.add(t.role().arn())) {
                    out.accept(new Hop(provider, t.role().arn(), Method.ASSUME, t.evidence("users of `" + provider
                            + "` sign in to the role (`AssumeRoleWithWebIdentity`/`AssumeRoleWithSAML`)"), Optional.empty(), false));
                }
            }
        });
    }
}
