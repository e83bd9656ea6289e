package io.iamguardrail.pipeline;

import io.iamguardrail.remediation.IamPort;
import io.iamguardrail.state.PrincipalRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory IAM for the remediation executor that records, for every call, the IAM action the SDK adapter
 * ({@code AwsIamPort}) makes for it: the permissions test compares them with what each action declares.
 */
final class FakeIamPort implements IamPort {

    final List<String> calls = new ArrayList<>();
    final Map<PrincipalRef, Principal> principals = new HashMap<>();
    final Map<PrincipalRef, Set<String>> attached = new HashMap<>();
    final Map<String, String> inline = new HashMap<>();
    final Map<String, String> defaults = new HashMap<>();
    /** Default documents of managed policies; one not set here reads as the stack's deny-all quarantine document. */
    final Map<String, String> documents = new HashMap<>();
    static final String DENY_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyEverythingUntilReviewed\","
            + "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
    final Map<String, List<String>> versions = new HashMap<>();
    final Map<String, String> trust = new HashMap<>();
    final Map<String, String> keys = new HashMap<>();
    /** Every status written with UpdateAccessKey, in order. */
    final List<String> statusWrites = new ArrayList<>();
    final Map<String, Set<String>> groups = new HashMap<>();
    final Map<PrincipalRef, String> boundaries = new HashMap<>();
    final Map<String, String> tags = new HashMap<>();
    final Set<String> failing = new HashSet<>();

    FakeIamPort principal(PrincipalRef.Kind kind, String name, String path) {
        PrincipalRef ref = new PrincipalRef(kind, name);
        principals.put(ref, new Principal("arn:aws:iam::123456789012:" + kind.name().toLowerCase() + path + name, path,
                uniqueId(kind, name)));
        attached.put(ref, new LinkedHashSet<>());
        return this;
    }

    /** A fresh unique id, as IAM gives one to every principal it creates (recreating a name gives a new one). */
    private int created;

    private String uniqueId(PrincipalRef.Kind kind, String name) {
        String prefix = switch (kind) {
            case ROLE -> "AROA";
            case USER -> "AIDA";
            case GROUP -> "AGPA";
        };
        return prefix + String.format("%016X", (long) name.hashCode() * 31 + ++created);
    }

    private static String noun(PrincipalRef ref) {
        String k = ref.kind().name().toLowerCase();
        return Character.toUpperCase(k.charAt(0)) + k.substring(1);
    }

    private void call(String action) {
        calls.add(action);
        if (failing.contains(action)) {
            throw new IllegalStateException("AccessDenied: " + action);
        }
    }

    private boolean writes() {
        return calls.stream().anyMatch(c -> !c.startsWith("iam:Get") && !c.startsWith("iam:List"));
    }

    boolean wroteAnything() {
        return writes();
    }

    @Override
    public Optional<Principal> principal(PrincipalRef ref) {
        call("iam:Get" + noun(ref));
        return Optional.ofNullable(principals.get(ref));
    }

    @Override
    public List<String> attachedPolicies(PrincipalRef ref) {
        call("iam:ListAttached" + noun(ref) + "Policies");
        return List.copyOf(attached.getOrDefault(ref, Set.of()));
    }

    @Override
    public void attachPolicy(PrincipalRef ref, String arn) {
        call("iam:Attach" + noun(ref) + "Policy");
        attached.get(ref).add(arn);
    }

    @Override
    public void detachPolicy(PrincipalRef ref, String arn) {
        call("iam:Detach" + noun(ref) + "Policy");
        attached.get(ref).remove(arn);
    }

    @Override
    public Optional<String> inlinePolicy(PrincipalRef ref, String name) {
        call("iam:Get" + noun(ref) + "Policy");
        return Optional.ofNullable(inline.get(ref + "/" + name));
    }

    @Override
    public void putInlinePolicy(PrincipalRef ref, String name, String document) {
        call("iam:Put" + noun(ref) + "Policy");
        inline.put(ref + "/" + name, document);
    }

    @Override
    public void deleteInlinePolicy(PrincipalRef ref, String name) {
        call("iam:Delete" + noun(ref) + "Policy");
        inline.remove(ref + "/" + name);
    }

    @Override
    public Optional<String> defaultVersion(String arn) {
        call("iam:GetPolicy");
        return Optional.ofNullable(defaults.get(arn));
    }

    @Override
    public Optional<String> defaultDocument(String arn) {
        call("iam:GetPolicy");
        call("iam:GetPolicyVersion");
        return Optional.of(documents.getOrDefault(arn, DENY_ALL));
    }

    @Override
    public Optional<String> policyId(String arn) {
        call("iam:GetPolicy");
        return defaults.containsKey(arn) ? Optional.of("ANPA" + String.format("%016X", arn.hashCode())) : Optional.empty();
    }

    @Override
    public List<String> versions(String arn) {
        call("iam:ListPolicyVersions");
        return versions.getOrDefault(arn, List.of());
    }

    @Override
    public void setDefaultVersion(String arn, String versionId) {
        call("iam:SetDefaultPolicyVersion");
        defaults.put(arn, versionId);
    }

    @Override
    public Optional<String> trustPolicy(String roleName) {
        call("iam:GetRole");
        return Optional.ofNullable(trust.get(roleName));
    }

    @Override
    public void updateTrustPolicy(String roleName, String document) {
        call("iam:UpdateAssumeRolePolicy");
        trust.put(roleName, document);
    }

    @Override
    public Optional<String> accessKeyStatus(String userName, String keyId) {
        call("iam:ListAccessKeys");
        return Optional.ofNullable(keys.get(userName + "/" + keyId));
    }

    @Override
    public void setAccessKeyStatus(String userName, String keyId, String status) {
        call("iam:UpdateAccessKey");
        statusWrites.add(status);
        keys.put(userName + "/" + keyId, status);
    }

    @Override
    public List<String> groupsForUser(String userName) {
        call("iam:ListGroupsForUser");
        return List.copyOf(groups.getOrDefault(userName, Set.of()));
    }

    @Override
    public void addUserToGroup(String userName, String groupName) {
        call("iam:AddUserToGroup");
        groups.computeIfAbsent(userName, k -> new LinkedHashSet<>()).add(groupName);
    }

    @Override
    public void removeUserFromGroup(String userName, String groupName) {
        call("iam:RemoveUserFromGroup");
        groups.get(userName).remove(groupName);
    }

    @Override
    public Optional<String> boundary(PrincipalRef ref) {
        call("iam:Get" + noun(ref));
        return Optional.ofNullable(boundaries.get(ref));
    }

    @Override
    public void putBoundary(PrincipalRef ref, String arn) {
        call("iam:Put" + noun(ref) + "PermissionsBoundary");
        boundaries.put(ref, arn);
    }

    @Override
    public void deleteBoundary(PrincipalRef ref) {
        call("iam:Delete" + noun(ref) + "PermissionsBoundary");
        boundaries.remove(ref);
    }

    @Override
    public Optional<String> tag(PrincipalRef ref, String key) {
        call("iam:List" + noun(ref) + "Tags");
        return Optional.ofNullable(tags.get(ref + "/" + key));
    }

    @Override
    public void tag(PrincipalRef ref, String key, String value) {
        call("iam:Tag" + noun(ref));
        tags.put(ref + "/" + key, value);
    }

    @Override
    public void untag(PrincipalRef ref, String key) {
        call("iam:Untag" + noun(ref));
        tags.remove(ref + "/" + key);
    }
}
