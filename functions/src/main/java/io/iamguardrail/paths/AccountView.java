package io.iamguardrail.paths;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.IamAction;
import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.engine.SourcedPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The account as the edge kinds read it: its members by ARN and kind, each member's {@link Access} (computed once,
 * and shared by members that hold the very same policies), the trust index, who holds each managed policy, and
 * the catalogue's index of each action the edges test.
 */
final class AccountView {

    final ActionCatalog catalog;
    final Knowledge knowledge;
    final Trusts trusts;
    final List<Member> roles = new ArrayList<>();
    final List<Member> users = new ArrayList<>();
    final List<Member> groups = new ArrayList<>();
    private final Map<String, Member> byArn = new LinkedHashMap<>();
    private final Map<String, Access> access = new HashMap<>();
    private final Map<List<String>, Access> bySamePolicies = new HashMap<>();
    private final Map<String, List<Member>> holders = new HashMap<>();

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
            for (String policy : m.attachedPolicyArns()) {
                holders.computeIfAbsent(policy, k -> new ArrayList<>()).add(m);
            }
        }
        this.trusts = new Trusts(catalog, roles);
    }

    Optional<Member> member(String arn) {
        return Optional.ofNullable(byArn.get(arn));
    }

    List<Member> members() {
        return List.copyOf(byArn.values());
    }

    /** The members a customer-managed policy is attached to (directly, or to a user through its group). */
    List<Member> holders(String policyArn) {
        return holders.getOrDefault(policyArn, List.of());
    }

    Map<String, List<Member>> policies() {
        return holders;
    }

    int action(String name) {
        IamAction a = catalog.find(name);
        if (a == null) {
            throw new IllegalStateException("expected `" + name + "` in the action catalogue but it is missing");
        }
        return a.index();
    }

    /** What the member may do; members with the same policies and boundary share one computation. */
    Access access(Member m) {
        return access.computeIfAbsent(m.arn(), arn -> {
            List<String> key = new ArrayList<>();
            m.subject().permissions().forEach(p -> key.add(p.source()));
            key.add("|" + m.subject().boundary().map(SourcedPolicy::source).orElse(""));
            if (m.kind() == Member.Kind.USER) {
                key.add(m.name()); // a policy variable (${aws:username}) reads the user's own name
            }
            return bySamePolicies.computeIfAbsent(key,
                    k -> Access.of(catalog, m.name(), m.subject().permissions(), m.subject().boundary()));
        });
    }
}
