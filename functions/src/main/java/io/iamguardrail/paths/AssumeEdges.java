package io.iamguardrail.paths;

import io.iamguardrail.engine.Permissions;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code sts:AssumeRole} that the target's trust admits. A trust that names the source's ARN admits it within the
 * account by itself, unless a Deny or the source's boundary stops it; a trust that names the account's root or
 * {@code *} admits only principals whose own policies allow them to assume the role. An identity provider the trust
 * admits (web identity, SAML) signs its users in: an entry point into the account.
 */
final class AssumeEdges {

    private AssumeEdges() {
    }

    static void into(AccountView v, Member role, Consumer<Hop> out) {
        int assume = v.action("sts:AssumeRole");
        Set<String> done = new HashSet<>();
        for (Trusts.Entry e : v.trusts.of(role.arn())) {
            Trusts.Admit t = e.admit();
            switch (e.kind()) {
                case ARN -> v.member(e.value()).filter(s -> s.acts() && !v.admins().contains(s.arn()))
                        .filter(s -> !s.arn().equals(role.arn()) && t.admits(s.arn()) && done.add(s.arn()))
                        .filter(s -> v.access(s).unblocked(assume, role.arn())).ifPresent(s -> {
                            Optional<Permissions.Grant> g = v.access(s).on(assume, role.arn());
                            Evidence trust = t.evidence("the trust names `" + s.arn() + "`");
                            out.accept(new Hop(s.arn(), role.arn(), Method.ASSUME, g.map(x -> Evidence.of(x,
                                    "may call `sts:AssumeRole` on `" + role.arn() + "`")).orElse(trust),
                                    g.isPresent() ? Optional.of(trust) : Optional.empty(), false));
                        });
                case ROOT, EVERYONE -> {
                    for (Member s : v.holding(assume, role.arn())) {
                        if (!s.acts() || s.arn().equals(role.arn()) || done.contains(s.arn()) || !t.admits(s.arn())) {
                            continue;
                        }
                        Optional<Permissions.Grant> g = v.access(s).on(assume, role.arn());
                        if (g.isPresent() && done.add(s.arn())) {
                            out.accept(new Hop(s.arn(), role.arn(), Method.ASSUME, Evidence.of(g.get(),
                                    "may call `sts:AssumeRole` on `" + role.arn() + "`"), Optional.of(t.evidence(
                                    e.kind() == Trusts.Kind.ROOT ? "the trust admits the account's principals that are allowed to"
                                            : "the trust admits `*`")), false));
                        }
                    }
                }
                case PROVIDER -> {
                    if (done.add(e.value())) {
                        out.accept(new Hop(e.value(), role.arn(), Method.ASSUME, t.evidence("users of `" + e.value()
                                + "` sign in to the role (`AssumeRoleWithWebIdentity`/`AssumeRoleWithSAML`)"),
                                Optional.empty(), false));
                    }
                }
                case SERVICE -> { /* a service is what a role is passed to or runs in: PassRoleEdges, RuntimeEdges */ }
            }
        }
    }
}
