package io.iamguardrail.policy;

import io.iamguardrail.json.SourceLocation;

import java.util.List;
import java.util.Optional;

/** A parsed IAM policy: every grammar variant normalised, every element located. */
public record PolicyDocument(Optional<String> version, Optional<String> id, List<Statement> statements,
                             SourceLocation at) {
    public PolicyDocument {
        statements = List.copyOf(statements);
    }

    /** True when some Allow statement names a principal and an {@code sts:AssumeRole*} action. */
    public boolean looksLikeTrustPolicy() {
        for (Statement s : statements) {
            if (s.principals().isPresent() && s.actions() instanceof ActionSpec.Listed listed) {
                for (ActionPattern p : listed.patterns()) {
                    if (p.service().equals("sts") && p.name().startsWith("assumerole")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    public boolean hasPrincipals() {
        return statements.stream().anyMatch(s -> s.principals().isPresent());
    }
}
