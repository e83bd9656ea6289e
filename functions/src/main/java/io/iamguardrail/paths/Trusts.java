package io.iamguardrail.paths;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.Glob;
import io.iamguardrail.engine.Conditions;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.policy.ActionPattern;
import io.iamguardrail.policy.ActionSpec;
import io.iamguardrail.policy.Condition;
import io.iamguardrail.policy.Principal;
import io.iamguardrail.policy.PrincipalSpec;
import io.iamguardrail.policy.Statement;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The account's trust policies indexed by whom they admit, read once: by principal ARN, by the account's root (any
 * principal of the account with an identity grant), by {@code *}, by service principal (what a role can be passed
 * to or run in) and by identity provider (web identity, SAML). A source's candidate targets are looked up here
 * instead of testing every role against every principal.
 */
final class Trusts {

    /** One trust statement of {@code role} admitting someone, and the trust policy it is in. */
    record Admit(Member role, SourcedPolicy policy, Statement statement) {

        Evidence evidence(String detail) {
            return Evidence.of(policy.source(), statement, detail);
        }

        /** Whether the statement's conditions let {@code caller} in: a named caller ARN, no MFA it cannot give. */
        boolean admits(String caller) {
            for (Condition c : statement.conditions()) {
                if (Conditions.requiresMfa(c)) {
                    return false; // stolen credentials rarely come with the MFA device
                }
                if (c.keyLower().equals("aws:principalarn") && c.operator().startsWith("String")) {
                    boolean any = c.values().stream().anyMatch(v -> Glob.matches(v, caller));
                    if (any == c.isNegated()) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private final Map<String, List<Admit>> byArn = new HashMap<>();
    private final List<Admit> byRoot = new ArrayList<>();
    private final List<Admit> byEveryone = new ArrayList<>();
    private final Map<String, List<Admit>> byService = new HashMap<>();
    private final Map<String, List<Admit>> byProvider = new HashMap<>();

    Trusts(ActionCatalog catalog, List<Member> roles) {
        int assume = catalog.find("sts:AssumeRole").index();
        int web = catalog.find("sts:AssumeRoleWithWebIdentity").index();
        int saml = catalog.find("sts:AssumeRoleWithSAML").index();
        for (Member role : roles) {
            Optional<SourcedPolicy> trust = role.subject().trust();
            if (trust.isEmpty() || trust.get().document().isEmpty()) {
                continue;
            }
            String account = accountOf(role.arn());
            for (Statement s : trust.get().document().get().statements()) {
                if (!s.isAllow() || s.principals().isEmpty() || !(s.principals().get() instanceof PrincipalSpec.Listed listed)) {
                    continue;
                }
                BitSet actions = actions(catalog, s.actions());
                Admit admit = new Admit(role, trust.get(), s);
                for (Principal p : listed.principals()) {
                    if (p.opaque()) {
                        continue;
                    }
                    if (p.type() == Principal.Type.FEDERATED && (actions.get(web) || actions.get(saml))) {
                        byProvider.computeIfAbsent(p.value(), k -> new ArrayList<>()).add(admit);
                    } else if (p.type() == Principal.Type.SERVICE && actions.get(assume)) {
                        byService.computeIfAbsent(p.value().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(admit);
                    } else if (p.type() == Principal.Type.AWS && actions.get(assume)) {
                        if (p.isEveryone()) {
                            byEveryone.add(admit);
                        } else if (p.isAccountRoot()) {
                            if (p.account().map(a -> a.equals(account)).orElse(false)) {
                                byRoot.add(admit);
                            }
                        } else {
                            byArn.computeIfAbsent(p.value(), k -> new ArrayList<>()).add(admit);
                        }
                    }
                }
            }
        }
    }

    /** Statements that name this principal's ARN. */
    List<Admit> naming(String arn) {
        return byArn.getOrDefault(arn, List.of());
    }

    /** Statements that admit the account's root, so any of its principals with an identity grant. */
    List<Admit> root() {
        return byRoot;
    }

    List<Admit> everyone() {
        return byEveryone;
    }

    /** Roles a service may assume ({@code lambda.amazonaws.com}): what can be passed to it or runs in it. */
    List<Admit> service(String servicePrincipal) {
        return byService.getOrDefault(servicePrincipal, List.of());
    }

    /** Identity providers that sign users in to roles (web identity, SAML), by provider. */
    Map<String, List<Admit>> providers() {
        return byProvider;
    }

    static String accountOf(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length == 6 ? parts[4] : "";
    }

    private static BitSet actions(ActionCatalog catalog, ActionSpec spec) {
        BitSet bits = new BitSet();
        for (ActionPattern p : spec.patterns()) {
            if (!p.opaque()) {
                catalog.match(p).addTo(bits);
            }
        }
        if (spec instanceof ActionSpec.Not) {
            BitSet all = catalog.everything();
            all.andNot(bits);
            return all;
        }
        return bits;
    }
}
