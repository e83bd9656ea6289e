package io.iamguardrail.paths;

/** How one principal comes to act with another's permissions: the edge kinds of the graph, by stable id. */
public enum Method {
    /** sts:AssumeRole (or a web-identity or SAML sign-in) that the target's trust admits. */
    ASSUME("assume"),
    /** iam:PassRole of the target to a service, and compute of that service created or updated to run with it. */
    PASS_ROLE("pass-role"),
    /** A change to the target's permissions or trust (policies, policy versions, trust, boundary, group membership). */
    MODIFY("modify"),
    /** New access keys, a console password or service credentials for the target user. */
    CREDENTIALS("credentials"),
    /** Commands in compute that holds the target role (SSM, EC2 Instance Connect, ECS Exec). */
    RUNTIME("runtime");

    private final String id;

    Method(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
