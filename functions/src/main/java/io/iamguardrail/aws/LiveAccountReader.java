package io.iamguardrail.aws;

import io.iamguardrail.audit.AccountSnapshot;
import io.iamguardrail.audit.AuthorizationDetailsReader;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.state.LookupFailed;
import io.iamguardrail.state.ManagedPolicy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.PolicyDetail;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole account from {@code GetAccountAuthorizationDetails} (every page), documents URL-decoded. AWS managed
 * policies are not requested (over a thousand documents): their documents come from the bundled snapshot, and the
 * few attached ones the snapshot does not know are read one by one.
 */
public final class LiveAccountReader {

    private final IamClient iam;
    private final ManagedPolicySnapshot snapshot;

    public LiveAccountReader(IamClient iam, ManagedPolicySnapshot snapshot) {
        this.iam = iam;
        this.snapshot = snapshot;
    }

    public AccountSnapshot read() {
        List<AccountSnapshot.Role> roles = new ArrayList<>();
        List<AccountSnapshot.User> users = new ArrayList<>();
        List<AccountSnapshot.Group> groups = new ArrayList<>();
        Map<String, AccountSnapshot.ManagedPolicy> policies = new LinkedHashMap<>();
        Set<String> awsAttached = new LinkedHashSet<>();
        for (GetAccountAuthorizationDetailsResponse page : iam.getAccountAuthorizationDetailsPaginator(b -> b.filter(
                EntityType.ROLE, EntityType.USER, EntityType.GROUP, EntityType.LOCAL_MANAGED_POLICY))) {
            page.roleDetailList().forEach(r -> {
                List<String> attached = arns(r.attachedManagedPolicies(), awsAttached);
                roles.add(new AccountSnapshot.Role(r.roleName(), r.arn(), r.path() == null ? "/" : r.path(),
                        Optional.ofNullable(r.createDate()), decode(r.assumeRolePolicyDocument()), inline(r.rolePolicyList()),
                        attached, Optional.ofNullable(r.permissionsBoundary()).map(b -> b.permissionsBoundaryArn()),
                        Optional.ofNullable(r.roleLastUsed()).map(u -> u.lastUsedDate()), tags(r.tags())));
            });
            page.userDetailList().forEach(u -> users.add(new AccountSnapshot.User(u.userName(), u.arn(),
                    u.path() == null ? "/" : u.path(), inline(u.userPolicyList()), arns(u.attachedManagedPolicies(), awsAttached),
                    u.groupList(), Optional.ofNullable(u.permissionsBoundary()).map(b -> b.permissionsBoundaryArn()),
                    tags(u.tags()))));
            page.groupDetailList().forEach(g -> groups.add(new AccountSnapshot.Group(g.groupName(), g.arn(),
                    inline(g.groupPolicyList()), arns(g.attachedManagedPolicies(), awsAttached))));
            page.policies().forEach(p -> {
                Optional<String> document = p.policyVersionList().stream()
                        .filter(v -> Boolean.TRUE.equals(v.isDefaultVersion()) || v.versionId().equals(p.defaultVersionId()))
                        .map(PolicyVersion::document).findFirst().map(LiveAccountReader::decode);
                policies.put(p.arn(), new AccountSnapshot.ManagedPolicy(p.arn(), p.policyName(), p.defaultVersionId(),
                        document, p.attachmentCount() == null ? 0 : p.attachmentCount()));
            });
        }
        LiveIamState single = new LiveIamState(iam, snapshot);
        for (String arn : awsAttached) {
            if (snapshot.find(arn).isEmpty() && !policies.containsKey(arn)) {
                try {
                    ManagedPolicy p = single.managedPolicy(arn, Optional.empty());
                    policies.put(arn, new AccountSnapshot.ManagedPolicy(arn, arn.substring(arn.lastIndexOf('/') + 1),
                            p.versionId(), Optional.of(p.document()), 1));
                } catch (LookupFailed e) {
                    // Left out: the audit notes every attached policy it could not evaluate.
                }
            }
        }
        String account = roles.stream().map(AccountSnapshot.Role::arn).findFirst()
                .or(() -> users.stream().map(AccountSnapshot.User::arn).findFirst()).map(a -> a.split(":")[4]).orElse(null);
        return new AccountSnapshot(Optional.ofNullable(account).filter(a -> a.matches("\\d{12}")), roles, users, groups, policies);
    }

    private static List<String> arns(List<AttachedPolicy> attached, Set<String> awsAttached) {
        List<String> out = new ArrayList<>();
        for (AttachedPolicy a : attached) {
            out.add(a.policyArn());
            if (ManagedPolicySnapshot.isAwsManaged(a.policyArn())) {
                awsAttached.add(a.policyArn());
            }
        }
        return out;
    }

    private static Map<String, String> inline(List<PolicyDetail> policies) {
        Map<String, String> out = new LinkedHashMap<>();
        policies.forEach(p -> out.put(p.policyName(), decode(p.policyDocument())));
        return out;
    }

    /** IAM returns documents URL-encoded; an emulator or proxy may not: both are read. */
    private static String decode(String document) {
        return document == null ? "" : AuthorizationDetailsReader.decodeDocument(document);
    }

    /** IAM tags in the order IAM lists them (the SDK gives an empty list when there are none). */
    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        tags.forEach(t -> out.put(t.key(), t.value() == null ? "" : t.value()));
        return out;
    }
}
