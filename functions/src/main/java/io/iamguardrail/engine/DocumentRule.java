package io.iamguardrail.engine;

import io.iamguardrail.policy.PolicyDocument;

/** A rule about how one document is written (its grammar, its trust, its conditions). */
public non-sealed interface DocumentRule extends Rule {

    void check(SourcedPolicy policy, PolicyDocument document, Subject subject, RuleContext ctx);
}
