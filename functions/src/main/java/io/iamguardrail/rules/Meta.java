package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.RuleMetadata;

import java.util.List;

/** Shorthand for rule metadata, so each rule class states its catalogue entry in one place. */
final class Meta {

    static final String IAM_BEST_PRACTICES = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html";
    static final String POLICY_GRAMMAR = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html";
    static final String ROLE_TRUST = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html";

    private Meta() {
    }

    static RuleMetadata permission(String id, Severity severity, String title, String rationale, String remediation,
                                   String... references) {
        return new RuleMetadata(id, severity, "permission", title, rationale, remediation, List.of(references));
    }

    static RuleMetadata trust(String id, Severity severity, String title, String rationale, String remediation,
                              String... references) {
        return new RuleMetadata(id, severity, "trust", title, rationale, remediation, List.of(references));
    }
}
