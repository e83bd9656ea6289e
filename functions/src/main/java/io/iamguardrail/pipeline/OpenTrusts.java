package io.iamguardrail.pipeline;

import io.iamguardrail.catalog.Glob;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Conditions;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.paths.Evidence;
import io.iamguardrail.paths.Hop;
import io.iamguardrail.paths.Method;
import io.iamguardrail.paths.PrivilegeGraph;
import io.iamguardrail.paths.PrivilegePath;
import io.iamguardrail.policy.ActionPattern;
import io.iamguardrail.policy.ActionSpec;
import io.iamguardrail.policy.Condition;
import io.iamguardrail.policy.Principal;
import io.iamguardrail.policy.PrincipalSpec;
import io.iamguardrail.policy.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A change that makes a role's trust admit its account's root or {@code *}, on a role that has or reaches
 * administrator access: the principals it now admits cannot be listed within an event's lookups, so the trust
 * itself is the path's entry. The account's root admits any principal of the account whose own policies allow
 * {@code sts:AssumeRole} on the role: whether one does is not read, so the entry is potential (HIGH). {@code *}
 * without a condition that keeps callers in known accounts admits any AWS principal anywhere, whose own account
 * grants it what it likes: certain (CRITICAL).
 */
final class OpenTrusts {

    /** Conditions that keep a {@code *} trust's callers within known accounts or an organization. */
    private static final Set<String> SCOPING = Set.of("aws:principalorgid", "aws:principalaccount", "aws:sourceaccount",
            "aws:principalarn", "aws:principalorgpaths", "aws:sourceorgid", "aws:sourcearn");

    private OpenTrusts() {
    }

    /**
     * Whether a condition keeps callers in known accounts: a scoping key, required (not {@code IfExists}, not
     * negated), every value naming something (not a bare wildcard such as {@code "*"}).
     */
    static boolean scopes(Condition c) {
        return SCOPING.contains(c.keyLower()) && !c.ifExists() && !c.isNegated() && !c.values().isEmpty()
                && c.values().stream().noneMatch(v -> v.isBlank() || v.chars().allMatch(ch -> ch == '*' || ch == '?'));
    }

    static List<Finding> entries(PrivilegeGraph graph, String arn, Subject after, Optional<Subject> before, String note) {
        if (after.type() != Subject.Type.ROLE || after.trust().flatMap(SourcedPolicy::document).isEmpty()) {
            return List.of();
        }
        List<Hop> onward;
        if (graph.admins().contains(arn)) {
            onward = List.of();
        } else {
            Optional<PrivilegePath> own = graph.paths(List.of()).stream()
                    .filter(p -> p.principal().equals(arn) && p.reaches().equals(PrivilegeGraph.ADMIN)).findFirst();
            if (own.isEmpty()) {
                return List.of();
            }
            onward = own.get().hops();
        }
        String account = arn.split(":", 6)[4];
        List<String> earlier = before.flatMap(Subject::trust).flatMap(SourcedPolicy::document)
                .map(d -> d.statements().stream().flatMap(st -> open(st, account).stream()).toList()).orElse(List.of());
        SourcedPolicy trust = after.trust().get();
        List<Finding> out = new ArrayList<>();
        for (Statement st : trust.document().get().statements()) {
            for (String entry : open(st, account)) {
                if (earlier.contains(entry)) {
                    continue;
                }
                boolean everyone = entry.equals("*") && st.conditions().stream().noneMatch(OpenTrusts::scopes);
                String who = entry.equals("*") ? "any AWS principal" + (everyone ? ", of any account," : " the condition admits")
                        : "any principal of account `" + account + "`";
                Hop first = new Hop(entry, arn, Method.ASSUME, new Evidence(trust.source(), st.label(), st.at().pointer(),
                        "the trust admits `" + entry + "`: " + who + " whose own policies allow `sts:AssumeRole` on it"),
                        Optional.empty(), !everyone);
                List<Hop> hops = new ArrayList<>();
                hops.add(first);
                hops.addAll(onward);
                boolean potential = hops.stream().anyMatch(Hop::potential);
                PrivilegePath path = new PrivilegePath(entry, PrivilegeGraph.ADMIN,
                        potential ? Severity.HIGH : Severity.CRITICAL, hops);
                out.add(PathFindings.of(path, arn, "opened by this change; " + note));
            }
        }
        return out;
    }

    /** The account's root or {@code *} when the statement lets them assume the role (without MFA they cannot give). */
    private static List<String> open(Statement st, String account) {
        if (!st.isAllow() || !(st.principals().orElse(null) instanceof PrincipalSpec.Listed listed) || !assumes(st)
                || st.conditions().stream().anyMatch(Conditions::requiresMfa)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Principal p : listed.principals()) {
            if (p.isEveryone()) {
                out.add("*");
            } else if (p.isAccountRoot() && p.account().filter(account::equals).isPresent()) {
                out.add("arn:aws:iam::" + account + ":root");
            }
        }
        return out;
    }

    private static boolean assumes(Statement st) {
        boolean listed = false;
        for (ActionPattern a : st.actions().patterns()) {
            if (!a.opaque() && Glob.matches(a.key(), "sts:assumerole")) {
                listed = true;
            }
        }
        return st.actions() instanceof ActionSpec.Not != listed;
    }
}
