package io.iamguardrail.aws;

import io.iamguardrail.remediation.IamPort;
import io.iamguardrail.state.PrincipalRef;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.Tag;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The remediation port over SDK v2 IAM: documents URL-decoded, NoSuchEntity as "absent". */
public final class AwsIamPort implements IamPort {

    private final IamClient iam;

    public AwsIamPort(IamClient iam) {
        this.iam = iam;
    }

    @Override
    public Optional<Principal> principal(PrincipalRef ref) {
        String n = ref.name();
        return absentIfMissing(() -> switch (ref.kind()) {
            case ROLE -> {
                var r = iam.getRole(b -> b.roleName(n)).role();
                yield new Principal(r.arn(), r.path(), r.roleId());
            }
            case USER -> {
                var u = iam.getUser(b -> b.userName(n)).user();
                yield new Principal(u.arn(), u.path(), u.userId());
            }
            case GROUP -> {
                var g = iam.getGroup(b -> b.groupName(n).maxItems(1)).group();
                yield new Principal(g.arn(), g.path(), g.groupId());
            }
        });
    }

    @Override
    public List<String> attachedPolicies(PrincipalRef ref) {
        String n = ref.name();
        List<AttachedPolicy> list = switch (ref.kind()) {
            case ROLE -> iam.listAttachedRolePoliciesPaginator(b -> b.roleName(n)).attachedPolicies().stream().toList();
            case USER -> iam.listAttachedUserPoliciesPaginator(b -> b.userName(n)).attachedPolicies().stream().toList();
            case GROUP -> iam.listAttachedGroupPoliciesPaginator(b -> b.groupName(n)).attachedPolicies().stream().toList();
        };
        return list.stream().map(AttachedPolicy::policyArn).toList();
    }

    @Override
    public void attachPolicy(PrincipalRef ref, String arn) {
        String n = ref.name();
        switch (ref.kind()) {
            case ROLE -> iam.attachRolePolicy(b -> b.roleName(n).policyArn(arn));
            case USER -> iam.attachUserPolicy(b -> b.userName(n).policyArn(arn));
            case GROUP -> iam.attachGroupPolicy(b -> b.groupName(n).policyArn(arn));
        }
    }

    @Override
    public void detachPolicy(PrincipalRef ref, String arn) {
        String n = ref.name();
        switch (ref.kind()) {
            case ROLE -> iam.detachRolePolicy(b -> b.roleName(n).policyArn(arn));
            case USER -> iam.detachUserPolicy(b -> b.userName(n).policyArn(arn));
            case GROUP -> iam.detachGroupPolicy(b -> b.groupName(n).policyArn(arn));
        }
    }

    @Override
    public Optional<String> inlinePolicy(PrincipalRef ref, String p) {
        String n = ref.name();
        return absentIfMissing(() -> decode(switch (ref.kind()) {
            case ROLE -> iam.getRolePolicy(b -> b.roleName(n).policyName(p)).policyDocument();
            case USER -> iam.getUserPolicy(b -> b.userName(n).policyName(p)).policyDocument();
            case GROUP -> iam.getGroupPolicy(b -> b.groupName(n).policyName(p)).policyDocument();
        }));
    }

    @Override
    public void putInlinePolicy(PrincipalRef ref, String p, String document) {
        String n = ref.name();
        switch (ref.kind()) {
            case ROLE -> iam.putRolePolicy(b -> b.roleName(n).policyName(p).policyDocument(document));
            case USER -> iam.putUserPolicy(b -> b.userName(n).policyName(p).policyDocument(document));
            case GROUP -> iam.putGroupPolicy(b -> b.groupName(n).policyName(p).policyDocument(document));
        }
    }

    @Override
    public void deleteInlinePolicy(PrincipalRef ref, String p) {
        String n = ref.name();
        switch (ref.kind()) {
            case ROLE -> iam.deleteRolePolicy(b -> b.roleName(n).policyName(p));
            case USER -> iam.deleteUserPolicy(b -> b.userName(n).policyName(p));
            case GROUP -> iam.deleteGroupPolicy(b -> b.groupName(n).policyName(p));
        }
    }

    @Override
    public Optional<String> defaultVersion(String arn) {
        return absentIfMissing(() -> iam.getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId());
    }

    @Override
    public Optional<String> defaultDocument(String arn) {
        return absentIfMissing(() -> {
            String version = iam.getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId();
            return decode(iam.getPolicyVersion(b -> b.policyArn(arn).versionId(version)).policyVersion().document());
        });
    }

    @Override
    public Optional<String> policyId(String arn) {
        return absentIfMissing(() -> iam.getPolicy(b -> b.policyArn(arn)).policy().policyId());
    }

    @Override
    public List<String> versions(String arn) {
        return iam.listPolicyVersionsPaginator(b -> b.policyArn(arn)).versions().stream()
                .sorted(Comparator.comparing(PolicyVersion::createDate, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .reversed().thenComparing(v -> versionNumber(v.versionId()), Comparator.reverseOrder()))
                .map(PolicyVersion::versionId).toList();
    }

    @Override
    public void setDefaultVersion(String arn, String versionId) {
        iam.setDefaultPolicyVersion(b -> b.policyArn(arn).versionId(versionId));
    }

    @Override
    public Optional<String> trustPolicy(String roleName) {
        return absentIfMissing(() -> decode(iam.getRole(b -> b.roleName(roleName)).role().assumeRolePolicyDocument()));
    }

    @Override
    public void updateTrustPolicy(String roleName, String document) {
        iam.updateAssumeRolePolicy(b -> b.roleName(roleName).policyDocument(document));
    }

    @Override
    public Optional<String> accessKeyStatus(String userName, String keyId) {
        Optional<List<AccessKeyMetadata>> keys = absentIfMissing(() ->
                iam.listAccessKeysPaginator(b -> b.userName(userName)).accessKeyMetadata().stream().toList());
        return keys.flatMap(k -> k.stream().filter(m -> m.accessKeyId().equals(keyId)).findFirst())
                .map(AccessKeyMetadata::statusAsString);
    }

    @Override
    public void setAccessKeyStatus(String userName, String keyId, String status) {
        iam.updateAccessKey(b -> b.userName(userName).accessKeyId(keyId).status(status));
    }

    @Override
    public List<String> groupsForUser(String userName) {
        return iam.listGroupsForUserPaginator(b -> b.userName(userName)).groups().stream().map(Group::groupName).toList();
    }

    @Override
    public void addUserToGroup(String userName, String groupName) {
        iam.addUserToGroup(b -> b.userName(userName).groupName(groupName));
    }

    @Override
    public void removeUserFromGroup(String userName, String groupName) {
        iam.removeUserFromGroup(b -> b.userName(userName).groupName(groupName));
    }

    @Override
    public Optional<String> boundary(PrincipalRef ref) {
        String n = ref.name();
        return switch (ref.kind()) {
            case ROLE -> Optional.ofNullable(iam.getRole(b -> b.roleName(n)).role().permissionsBoundary())
                    .map(pb -> pb.permissionsBoundaryArn());
            case USER -> Optional.ofNullable(iam.getUser(b -> b.userName(n)).user().permissionsBoundary())
                    .map(pb -> pb.permissionsBoundaryArn());
            case GROUP -> Optional.empty();
        };
    }

    @Override
    public void putBoundary(PrincipalRef ref, String arn) {
        String n = ref.name();
        switch (ref.kind()) {
            case ROLE -> iam.putRolePermissionsBoundary(b -> b.roleName(n).permissionsBoundary(arn));
            case USER -> iam.putUserPermissionsBoundary(b -> b.userName(n).permissionsBoundary(arn));
            case GROUP -> throw new IllegalArgumentException("groups have no permissions boundary");
        }
    }

    @Override
    public void deleteBoundary(PrincipalRef ref) {
        String n = ref.name();
        switch (ref.kind()) {
            case ROLE -> iam.deleteRolePermissionsBoundary(b -> b.roleName(n));
            case USER -> iam.deleteUserPermissionsBoundary(b -> b.userName(n));
            case GROUP -> throw new IllegalArgumentException("groups have no permissions boundary");
        }
    }

    @Override
    public Optional<String> tag(PrincipalRef ref, String key) {
        String n = ref.name();
        List<Tag> tags = switch (ref.kind()) {
            case ROLE -> iam.listRoleTags(b -> b.roleName(n)).tags();
            case USER -> iam.listUserTags(b -> b.userName(n)).tags();
            case GROUP -> List.of();
        };
        return tags.stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst();
    }

    @Override
    public void tag(PrincipalRef ref, String key, String value) {
        Tag tag = Tag.builder().key(key).value(value).build();
        switch (ref.kind()) {
            case ROLE -> iam.tagRole(b -> b.roleName(ref.name()).tags(tag));
            case USER -> iam.tagUser(b -> b.userName(ref.name()).tags(tag));
            case GROUP -> throw new IllegalArgumentException("groups cannot be tagged");
        }
    }

    @Override
    public void untag(PrincipalRef ref, String key) {
        switch (ref.kind()) {
            case ROLE -> iam.untagRole(b -> b.roleName(ref.name()).tagKeys(key));
            case USER -> iam.untagUser(b -> b.userName(ref.name()).tagKeys(key));
            case GROUP -> throw new IllegalArgumentException("groups cannot be tagged");
        }
    }

    private static int versionNumber(String versionId) {
        try {
            return Integer.parseInt(versionId.substring(1));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String decode(String document) {
        return URLDecoder.decode(document, StandardCharsets.UTF_8);
    }

    private static <T> Optional<T> absentIfMissing(Supplier<T> read) {
        try {
            return Optional.ofNullable(read.get());
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }
}
