package io.iamguardrail.remediation;

import io.iamguardrail.policy.ActionSpec;
import io.iamguardrail.policy.Effect;
import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.policy.ResourceSpec;
import io.iamguardrail.policy.Statement;

import java.util.Optional;

/**
 * What the quarantine policy must say before the guardrail attaches it: one statement that denies {@code *} on
 * {@code *}, unconditionally, and nothing else. Anyone who can make another version default could otherwise turn
 * every later quarantine into an attach of {@code Allow sts:GetCallerIdentity}, reported as DONE.
 */
public final class QuarantineDocument {

    private QuarantineDocument() {
    }

    /** Why this default document is not the expected deny-all; empty when it is. */
    public static Optional<String> problem(Optional<String> document) {
        if (document.isEmpty()) {
            return Optional.of("its default version could not be read");
        }
        ParseResult parsed = PolicyParser.parse(document.get(), PolicyKind.IDENTITY);
        if (!parsed.isValid()) {
            return Optional.of("its default version is not a valid policy");
        }
        PolicyDocument doc = parsed.document().get();
        if (doc.statements().size() != 1) {
            return Optional.of("expected one statement denying `*` on `*` but found " + doc.statements().size()
                    + " statements");
        }
        Statement s = doc.statements().get(0);
        boolean denyAll = s.effect() == Effect.DENY
                && s.actions() instanceof ActionSpec.Listed a && a.patterns().size() == 1 && a.patterns().get(0).isEverything()
                && s.resources() instanceof ResourceSpec.Listed r && r.patterns().size() == 1
                && r.patterns().get(0).value().equals("*")
                && s.conditions().isEmpty() && s.principals().isEmpty();
        return denyAll ? Optional.empty() : Optional.of("expected " + s.label() + " to deny `*` on `*` without"
                + " conditions but found `" + shortened(document.get()) + "`");
    }

    private static String shortened(String document) {
        String flat = document.replaceAll("\\s+", " ").trim();
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
    }
}
