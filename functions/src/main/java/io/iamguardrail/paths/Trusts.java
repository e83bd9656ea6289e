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
 * The account's trust policies read once into whom each role admits: a principal by ARN, the account's root (any
 * principal of the account with an identity grant), {@code *}, a service principal (what the role can be passed to
 * or run in) or an identity provider (web identity, SAML). The graph asks for the hops into a role from here,
 * instead of testing every principal against every role.
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

    /** Whom a trust statement admits: a principal's ARN, the account's root, anyone, a service or a provider. */
    enum Kind { ARN, ROOT, EVERYONE, SERVICE, PROVIDER }

    /** One principal a trust statement admits: {@code value} is the ARN, service principal or provider. */
    record Entry(Admit admit, Kind kind, String value) {
    }

    private final Map<String, List<Entry>> byRole = new HashMap<>();

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
            List<Entry> entries = new ArrayList<>();
            for (Statement s : trust.get().document().get().statements()) {
                if (!s.isAllow() || s.principals().isEmpty() || !(s.principals().get() instanceof PrincipalSpec.Listed listed)) {
                    continue;
                }
                BitSet actions = actions(catalog, s.actions());
                Admit admit = new Admit(role, trust.get(), s);
                for (Principal p : listed.principals()) {
                    Kind kind = kind(p, actions.get(assume), actions.get(web) || actions.get(saml), account);
                    if (kind != null) {
                        entries.add(new Entry(admit, kind, kind == Kind.SERVICE ? p.value().toLowerCase(Locale.ROOT) : p.value()));
                    }
                }
            }
            if (!entries.isEmpty()) {
                byRole.put(role.arn(), List.copyOf(entries));
            }
        }
    }

    private static Kind kind(Principal p, boolean assume, boolean federated, String account) {
        if (p.opaque()) {
            return null;
        }
        if (p.type() == Principal.Type.FEDERATED) {
            return federated ? Kind.PROVIDER : null;
        }
        if (!assume) {
            return null;
        }
        if (p.type() == Principal.Type.SERVICE) {
            return Kind.SERVICE;
        }
        if (p.type() != Principal.Type.AWS) {
            return null;
        }
        if (p.isEveryone()) {
            return Kind.EVERYONE;
        }
        if (p.isAccountRoot()) {
            // Another account's root admits principals outside this account: not a hop between its principals.
            return p.account().map(a -> a.equals(account)).orElse(false) ? Kind.ROOT : null;
        }
        return Kind.ARN;
    }

    /** Whom the role's trust admits, statement by statement. */
    List<Entry> of(String roleArn) {
        return byRole.getOrDefault(roleArn, List.of());
    }

    /** The trust statement that lets {@code service} assume the role, if there is one. */
    Optional<Admit> service(String roleArn, String service) {
        for (Entry e : of(roleArn)) {
            if (e.kind() == Kind.SERVICE && e.value().equals(service)) {
                return Optional.of(e.admit());
            }
        }
        return Optional.empty();
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
