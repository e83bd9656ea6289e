package io.iamguardrail.paths;

import io.iamguardrail.engine.Subject;

import java.util.List;

/**
 * A node of the privilege graph: a role, user or group of the account with everything the engine evaluates for it
 * (its trust, its permission policies as it holds them, its boundary), the groups a user belongs to and the
 * customer-managed policies attached to it (directly, or to its groups): a new default version of one of those
 * changes what it may do.
 */
public record Member(String arn, String name, Kind kind, Subject subject, List<String> groupArns,
                     List<String> attachedPolicyArns) {

    public enum Kind { ROLE, USER, GROUP, PROVIDER }

    public Member {
        groupArns = List.copyOf(groupArns);
        attachedPolicyArns = List.copyOf(attachedPolicyArns);
    }

    /** Roles and users act; a group only lends its policies to its members, a provider only signs users in. */
    public boolean acts() {
        return kind == Kind.ROLE || kind == Kind.USER;
    }
}
