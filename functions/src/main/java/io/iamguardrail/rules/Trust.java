package io.iamguardrail.rules;

import io.iamguardrail.engine.Conditions;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.policy.ActionPattern;
import io.iamguardrail.policy.ActionSpec;
import io.iamguardrail.policy.Condition;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.Principal;
import io.iamguardrail.policy.PrincipalSpec;
import io.iamguardrail.policy.Statement;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

/** The trust-policy judgements several rules share: who may assume the role, and whether they are ours. */
final class Trust {

    /** Conditions that limit who may use a public trust to an organisation, account or principal. */
    static final List<String> LIMITING_KEYS = List.of("aws:principalorgid", "aws:principalorgpaths",
            "aws:principalaccount", "aws:sourceaccount", "aws:principalarn", "aws:sourcearn", "aws:sourceorgid",
            "aws:userid");

    private Trust() {
    }

    /** Whether an Allow statement lets its principals assume the role (sts:AssumeRole*, sts:*, * or NotAction). */
    static boolean grantsAssume(Statement s) {
        if (!s.isAllow() || s.principals().isEmpty()) {
            return false;
        }
        if (s.actions() instanceof ActionSpec.Not) {
            return true;
        }
        for (ActionPattern p : s.actions().patterns()) {
            if (p.isEverything() || (p.service().equals("sts") && (p.name().startsWith("assumerole")
                    || p.name().equals("*") || p.name().equals("assume*")))) {
                return true;
            }
        }
        return false;
    }

    /** Calls {@code body} for every principal that a trust policy's statements let assume the role. */
    static void eachAssumable(SourcedPolicy policy, PolicyDocument doc,
                              BiConsumer<Statement, Principal> body) {
        if (policy.kind() != PolicyKind.TRUST) {
            return;
        }
        for (Statement s : doc.statements()) {
            if (grantsAssume(s)) {
                for (Principal p : listed(s)) {
                    body.accept(s, p);
                }
            }
        }
    }

    static List<Principal> listed(Statement s) {
        return s.principals().filter(p -> p instanceof PrincipalSpec.Listed).map(PrincipalSpec::principals)
                .orElse(List.of());
    }

    static boolean isOwn(String account, RuleContext ctx) {
        return account.equals("${AWS::AccountId}") || ctx.ownAccount().map(account::equals).orElse(false);
    }

    static boolean isTrusted(String account, RuleContext ctx) {
        return ctx.config().trustedAccountIds().contains(account);
    }

    /** An AWS principal of an account that is neither ours nor trusted by the configuration. */
    static boolean isExternal(Principal p, RuleContext ctx) {
        if (p.opaque() || p.type() != Principal.Type.AWS || p.isEveryone()) {
            return false;
        }
        Optional<String> account = p.account();
        return account.isPresent() && !isOwn(account.get(), ctx) && !isTrusted(account.get(), ctx);
    }

    /**
     * True when the statement's conditions pin the caller to the own account ({@code aws:PrincipalAccount}) or the
     * configured organisation ({@code aws:PrincipalOrgID}): then a {@code *} principal is not the world.
     */
    static boolean limitedToOwnAccountOrOrganisation(Statement s, RuleContext ctx) {
        Optional<String> org = ctx.config().organizationId();
        Optional<String> own = ctx.ownAccount();
        for (Condition c : s.conditions()) {
            if (c.isNegated() || c.ifExists() || c.setOperator() != Condition.SetOperator.NONE
                    || !c.operator().startsWith("String")) {
                continue;
            }
            if (c.keyLower().equals("aws:principalorgid") && org.isPresent() && c.values().equals(List.of(org.get()))) {
                return true;
            }
            if (c.keyLower().equals("aws:principalaccount") && !c.values().isEmpty()
                    && c.values().stream().allMatch(v -> v.equals("${AWS::AccountId}") || own.map(v::equals).orElse(false))) {
                return true;
            }
        }
        return false;
    }

    /** Why an external-account finding is lowered when the own account is not known, if it is not. */
    static Optional<String> ownAccountUnknown(RuleContext ctx) {
        return ctx.ownAccount().isEmpty()
                ? Optional.of("the own account is unknown: pass --account or set accountId") : Optional.empty();
    }

    /** The first condition limiting a public or cross-account trust, described. */
    static Optional<String> limitation(Statement s) {
        for (Condition c : s.conditions()) {
            if (LIMITING_KEYS.contains(c.keyLower()) && !c.isNegated()) {
                return Optional.of("limited by condition `" + c.key() + "` (" + c.written() + ")");
            }
        }
        return Conditions.restriction(s.conditions());
    }

    static boolean requiresMfa(Statement s) {
        return s.conditions().stream().anyMatch(Conditions::requiresMfa);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
