package io.iamguardrail.engine;

/**
 * A least-privilege rule: one class per rule, a stable id, metadata as data. Rules report through the
 * {@link RuleContext}; they never see raw JSON, and one that throws becomes an ENGINE_ERROR finding.
 */
public sealed interface Rule permits ParseRule, DocumentRule, PermissionRule, PrincipalRule {

    RuleMetadata metadata();

    default String id() {
        return metadata().id();
    }
}
