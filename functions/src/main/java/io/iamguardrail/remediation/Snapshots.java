package io.iamguardrail.remediation;

/** Which clean changes set a last-known-good state a later remediation may go back to. */
final class Snapshots {

    enum Kind { PRINCIPAL, POLICY_VERSION, NONE }

    private Snapshots() {
    }

    /**
     * Trust policies and boundaries are recorded from the changes that set them; a policy's clean default version
     * from the changes that make a version default. Other clean changes record nothing (and cost no IAM call).
     */
    static Kind kindOf(String eventName) {
        return switch (eventName) {
            case "CreateRole", "UpdateAssumeRolePolicy", "PutRolePermissionsBoundary", "PutUserPermissionsBoundary",
                    "CreateUser" -> Kind.PRINCIPAL;
            case "CreatePolicy", "CreatePolicyVersion", "SetDefaultPolicyVersion" -> Kind.POLICY_VERSION;
            default -> Kind.NONE;
        };
    }
}
