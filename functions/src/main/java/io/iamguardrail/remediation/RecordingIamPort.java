package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The IAM port with every write recorded just before it is made, as its CloudTrail event will show it: the loop guard
 * skips exactly these events and nothing else the guardrail's role does.
 */
public final class RecordingIamPort implements IamPort {

    private final IamPort iam;
    private final OwnChanges own;

    public RecordingIamPort(IamPort iam, OwnChanges own) {
        this.iam = iam;
        this.own = own;
    }

    private void expect(String eventName, String... keyValues) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        own.expect(OwnChange.of(eventName, p));
    }

    private static String nameKey(PrincipalRef ref) {
        return ref.kind().name().toLowerCase(Locale.ROOT) + "Name";
    }

    @Override
    public Optional<Principal> principal(PrincipalRef ref) {
        return iam.principal(ref);
    }

    @Override
    public List<String> attachedPolicies(PrincipalRef ref) {
        return iam.attachedPolicies(ref);
    }

    @Override
    public void attachPolicy(PrincipalRef ref, String policyArn) {
        expect("Attach" + ActionWords.noun(ref) + "Policy", nameKey(ref), ref.name(), "policyArn", policyArn);
        iam.attachPolicy(ref, policyArn);
    }

    @Override
    public void detachPolicy(PrincipalRef ref, String policyArn) {
        expect("Detach" + ActionWords.noun(ref) + "Policy", nameKey(ref), ref.name(), "policyArn", policyArn);
        iam.detachPolicy(ref, policyArn);
    }

    @Override
    public Optional<String> inlinePolicy(PrincipalRef ref, String policyName) {
        return iam.inlinePolicy(ref, policyName);
    }

    @Override
    public void putInlinePolicy(PrincipalRef ref, String policyName, String document) {
        expect("Put" + ActionWords.noun(ref) + "Policy", nameKey(ref), ref.name(), "policyName", policyName,
                "policyDocument", document);
        iam.putInlinePolicy(ref, policyName, document);
    }

    @Override
    public void deleteInlinePolicy(PrincipalRef ref, String policyName) {
        expect("Delete" + ActionWords.noun(ref) + "Policy", nameKey(ref), ref.name(), "policyName", policyName);
        iam.deleteInlinePolicy(ref, policyName);
    }

    @Override
    public Optional<String> defaultVersion(String policyArn) {
        return iam.defaultVersion(policyArn);
    }

    @Override
    public Optional<String> defaultDocument(String policyArn) {
        return iam.defaultDocument(policyArn);
    }

    @Override
    public Optional<String> policyId(String policyArn) {
        return iam.policyId(policyArn);
    }

    @Override
    public List<String> versions(String policyArn) {
        return iam.versions(policyArn);
    }

    @Override
    public void setDefaultVersion(String policyArn, String versionId) {
        expect("SetDefaultPolicyVersion", "policyArn", policyArn, "versionId", versionId);
        iam.setDefaultVersion(policyArn, versionId);
    }

    @Override
    public Optional<String> trustPolicy(String roleName) {
        return iam.trustPolicy(roleName);
    }

    @Override
    public void updateTrustPolicy(String roleName, String document) {
        expect("UpdateAssumeRolePolicy", "roleName", roleName, "policyDocument", document);
        iam.updateTrustPolicy(roleName, document);
    }

    @Override
    public Optional<String> accessKeyStatus(String userName, String accessKeyId) {
        return iam.accessKeyStatus(userName, accessKeyId);
    }

    @Override
    public void setAccessKeyStatus(String userName, String accessKeyId, String status) {
        expect("UpdateAccessKey", "userName", userName, "accessKeyId", accessKeyId, "status", status);
        iam.setAccessKeyStatus(userName, accessKeyId, status);
    }

    @Override
    public List<String> groupsForUser(String userName) {
        return iam.groupsForUser(userName);
    }

    @Override
    public void addUserToGroup(String userName, String groupName) {
        expect("AddUserToGroup", "userName", userName, "groupName", groupName);
        iam.addUserToGroup(userName, groupName);
    }

    @Override
    public void removeUserFromGroup(String userName, String groupName) {
        expect("RemoveUserFromGroup", "userName", userName, "groupName", groupName);
        iam.removeUserFromGroup(userName, groupName);
    }

    @Override
    public Optional<String> boundary(PrincipalRef ref) {
        return iam.boundary(ref);
    }

    @Override
    public void putBoundary(PrincipalRef ref, String policyArn) {
        expect("Put" + ActionWords.noun(ref) + "PermissionsBoundary", nameKey(ref), ref.name(),
                "permissionsBoundary", policyArn);
        iam.putBoundary(ref, policyArn);
    }

    @Override
    public void deleteBoundary(PrincipalRef ref) {
        expect("Delete" + ActionWords.noun(ref) + "PermissionsBoundary", nameKey(ref), ref.name());
        iam.deleteBoundary(ref);
    }

    @Override
    public Optional<String> tag(PrincipalRef ref, String key) {
        return iam.tag(ref, key);
    }

    @Override
    public void tag(PrincipalRef ref, String key, String value) {
        expect("Tag" + ActionWords.noun(ref), nameKey(ref), ref.name());
        iam.tag(ref, key, value);
    }

    @Override
    public void untag(PrincipalRef ref, String key) {
        expect("Untag" + ActionWords.noun(ref), nameKey(ref), ref.name());
        iam.untag(ref, key);
    }
}
