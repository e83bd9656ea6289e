package io.iamguardrail.engine;

/** A rule about a role's trust policy seen together with what the role may do. */
public non-sealed interface PrincipalRule extends Rule {

    void check(Subject subject, PrincipalView view, RuleContext ctx);
}
