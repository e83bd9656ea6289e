package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Optional;

/**
 * The IAM reads and writes remediation and {@code restore} need (SDK v2 in {@code io.iamguardrail.aws}). Documents
 * are plain JSON (the adapter URL-decodes what IAM returns). Failures are runtime exceptions: the executor reports
 * them as a FAILED action.
 */
public interface IamPort {

    /**
     * A principal as IAM has it now.
     *
     * @param id its unique id (RoleId {@code AROA…}, UserId {@code AIDA…}, GroupId {@code AGPA…}): a principal
     *           deleted and created again under the same name gets a new one
     */
    record Principal(String arn, String path, String id) {
    }

    Optional<Principal> principal(PrincipalRef ref);

    List<String> attachedPolicies(PrincipalRef ref);

    void attachPolicy(PrincipalRef ref, String policyArn);

    void detachPolicy(PrincipalRef ref, String policyArn);

    Optional<String> inlinePolicy(PrincipalRef ref, String policyName);

    void putInlinePolicy(PrincipalRef ref, String policyName, String document);

    void deleteInlinePolicy(PrincipalRef ref, String policyName);

    /** The default version id of a managed policy; empty when the policy does not exist. */
    Optional<String> defaultVersion(String policyArn);

    /** The document of a managed policy's default version, decoded; empty when the policy does not exist. */
    Optional<String> defaultDocument(String policyArn);

    /** The unique id of a managed policy ({@code ANPA…}); empty when the policy does not exist. */
    Optional<String> policyId(String policyArn);

    /** Version ids, newest first. */
    List<String> versions(String policyArn);

    void setDefaultVersion(String policyArn, String versionId);

    Optional<String> trustPolicy(String roleName);

    void updateTrustPolicy(String roleName, String document);

    /** Active or Inactive; empty when the key does not exist. */
    Optional<String> accessKeyStatus(String userName, String accessKeyId);

    void setAccessKeyStatus(String userName, String accessKeyId, String status);

    List<String> groupsForUser(String userName);

    void addUserToGroup(String userName, String groupName);

    void removeUserFromGroup(String userName, String groupName);

    Optional<String> boundary(PrincipalRef ref);

    void putBoundary(PrincipalRef ref, String policyArn);

    void deleteBoundary(PrincipalRef ref);

    Optional<String> tag(PrincipalRef ref, String key);

    void tag(PrincipalRef ref, String key, String value);

    void untag(PrincipalRef ref, String key);
}
