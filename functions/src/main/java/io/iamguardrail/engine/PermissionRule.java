package io.iamguardrail.engine;

/**
 * A rule about what is allowed, evaluated on the permissions of each policy alone and on a principal's effective
 * permissions (its policies together, within its boundary), so that two harmless-looking policies that together
 * allow an escalation are reported.
 */
public non-sealed interface PermissionRule extends Rule {

    void check(Permissions permissions, Subject subject, RuleContext ctx);
}
