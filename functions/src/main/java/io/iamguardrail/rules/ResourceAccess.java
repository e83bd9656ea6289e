package io.iamguardrail.rules;

import io.iamguardrail.catalog.IamAction;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.policy.ActionSpec;
import io.iamguardrail.policy.Condition;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.Principal;
import io.iamguardrail.policy.Statement;

import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** The resource-policy judgements the RESOURCE_* rules share: who a statement lets in, and what it lets them do. */
final class ResourceAccess {

    /**
     * Conditions that narrow a public grant to an organisation, account, network endpoint or calling resource: with
     * one of them (not negated, not IfExists, no wildcard value) the principal is no longer the world.
     */
    static final List<String> NARROWING_KEYS = List.of("aws:sourceaccount", "aws:sourcearn", "aws:sourceowner",
            "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:userid",
            "aws:sourcevpce", "aws:sourcevpc", "aws:sourceorgid", "aws:sourceorgpaths", "aws:resourceorgid",
            "aws:resourceaccount", "kms:calleraccount", "kms:viaservice", "lambda:functionurlauthtype");

    /** Keys that narrow where a request comes from without naming who sends it: they lower, not clear. */
    static final List<String> LOWERING_KEYS = List.of("aws:sourceip");

    private ResourceAccess() {
    }

    /** Calls {@code body} for every principal an Allow statement of a resource policy names. */
    static void eachGranted(SourcedPolicy policy, PolicyDocument doc, BiConsumer<Statement, Principal> body) {
        if (policy.kind() != PolicyKind.RESOURCE) {
            return;
        }
        for (Statement s : doc.statements()) {
            if (s.isAllow()) {
                for (Principal p : Trust.listed(s)) {
                    body.accept(s, p);
                }
            }
        }
    }

    /** The first condition that narrows who may use the grant, described, if any. */
    static Optional<Condition> narrowing(Statement s) {
        for (Condition c : s.conditions()) {
            if (NARROWING_KEYS.contains(c.keyLower()) && !c.isNegated() && !c.ifExists()
                    && !c.operator().equals("Null") && !c.values().isEmpty()
                    && c.values().stream().noneMatch(v -> v.equals("*"))
                    && !(c.keyLower().equals("lambda:functionurlauthtype") && c.values().contains("NONE"))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** A condition on where the request comes from (an IP range): it lowers the severity one step. */
    static Optional<String> lowering(Statement s) {
        for (Condition c : s.conditions()) {
            if (LOWERING_KEYS.contains(c.keyLower()) && !c.isNegated()) {
                return Optional.of("limited by condition `" + c.key() + "` (" + c.written() + ")");
            }
        }
        return Optional.empty();
    }

    /** Whether the statement grants an action that writes or manages permissions (else it only reads or lists). */
    static boolean grantsWrite(Statement s, RuleContext ctx) {
        BitSet actions = ctx.actionsOf(s.actions());
        for (int i = actions.nextSetBit(0); i >= 0; i = actions.nextSetBit(i + 1)) {
            IamAction a = ctx.catalog().action(i);
            if (a.level().isWriteLike()) {
                return true;
            }
        }
        // Actions the catalogue does not know (or an opaque value) are taken at their worst.
        return actions.isEmpty();
    }

    /** {@code s3:GetObject, s3:PutObject} as written, for messages. */
    static String actions(Statement s) {
        List<String> raw = s.actions().patterns().stream().map(p -> "`" + p.raw() + "`").toList();
        String shown = String.join(", ", raw.subList(0, Math.min(3, raw.size())));
        return (s.actions() instanceof ActionSpec.Not ? "everything except " : "")
                + shown + (raw.size() > 3 ? " and " + (raw.size() - 3) + " more" : "");
    }
}
