package io.iamguardrail.paths;

import io.iamguardrail.engine.Permissions;
import io.iamguardrail.policy.Statement;

/**
 * Why a hop exists: the policy and statement that allow it, where the statement is ({@code /Statement/0}), and
 * what it lets the holder do, in words.
 */
public record Evidence(String policy, String statement, String location, String detail) {

    static Evidence of(Permissions.Grant grant, String detail) {
        return new Evidence(grant.policy().source(), grant.statement().label(), grant.statement().at().pointer(), detail);
    }

    static Evidence of(String policy, Statement statement, String detail) {
        return new Evidence(policy, statement.label(), statement.at().pointer(), detail);
    }
}
