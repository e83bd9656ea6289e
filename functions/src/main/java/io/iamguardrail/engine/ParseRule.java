package io.iamguardrail.engine;

/** A rule about whether the input is a valid policy at all; it sees the parse result, document or not. */
public non-sealed interface ParseRule extends Rule {

    void check(SourcedPolicy policy, RuleContext ctx);
}
