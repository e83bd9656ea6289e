package io.iamguardrail.change;

import io.iamguardrail.change.IamChange.AccessKeyStatusSet;
import io.iamguardrail.change.IamChange.AccessRemoved;
import io.iamguardrail.change.IamChange.BoundaryDeleted;
import io.iamguardrail.change.IamChange.BoundaryPut;
import io.iamguardrail.change.IamChange.CredentialIssued;
import io.iamguardrail.change.IamChange.DefaultVersionSet;
import io.iamguardrail.change.IamChange.IdentityProviderChanged;
import io.iamguardrail.change.IamChange.InlinePolicyDeleted;
import io.iamguardrail.change.IamChange.InlinePolicyPut;
import io.iamguardrail.change.IamChange.MfaRemoved;
import io.iamguardrail.change.IamChange.PolicyAttached;
import io.iamguardrail.change.IamChange.PolicyCreated;
import io.iamguardrail.change.IamChange.PolicyDetached;
import io.iamguardrail.change.IamChange.PolicyVersionCreated;
import io.iamguardrail.change.IamChange.ResourcePolicySet;
import io.iamguardrail.change.IamChange.RoleAddedToInstanceProfile;
import io.iamguardrail.change.IamChange.RoleCreated;
import io.iamguardrail.change.IamChange.RoleUpdated;
import io.iamguardrail.change.IamChange.TagsChanged;
import io.iamguardrail.change.IamChange.TrustUpdated;
import io.iamguardrail.change.IamChange.Unlisted;
import io.iamguardrail.change.IamChange.UserAddedToGroup;
import io.iamguardrail.change.IamChange.UserRemovedFromGroup;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.json.Node;
import io.iamguardrail.state.PrincipalRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The one place that reads a call's request and response parameters into an {@link IamChange}. */
public final class ChangeDecoder {

    private ChangeDecoder() {
    }

    public static IamChange decode(CloudTrailEvent e) {
        Optional<EventKind> kind = EventKind.named(e.eventName()).filter(k -> shapeFits(k, e));
        if (kind.isEmpty()) {
            return new Unlisted(e.eventName(), principalNamed(e));
        }
        EventKind k = kind.get();
        return switch (k) {
            case PutRolePolicy, PutUserPolicy, PutGroupPolicy ->
                    new InlinePolicyPut(k, ref(k, e), text(e, "policyName", "(unnamed)"), e.request("policyDocument"));
            case AttachRolePolicy, AttachUserPolicy, AttachGroupPolicy ->
                    new PolicyAttached(k, ref(k, e), text(e, "policyArn", "?"));
            case CreateRole -> new RoleCreated(role(e), e.request("assumeRolePolicyDocument"),
                    e.response("role", "assumeRolePolicyDocument"), e.request("permissionsBoundary"),
                    e.response("role", "arn"));
            case UpdateAssumeRolePolicy -> new TrustUpdated(role(e), e.request("policyDocument"));
            case PutRolePermissionsBoundary, PutUserPermissionsBoundary ->
                    new BoundaryPut(k, ref(k, e), text(e, "permissionsBoundary", "?"));
            case DeleteRolePermissionsBoundary, DeleteUserPermissionsBoundary -> new BoundaryDeleted(k, ref(k, e));
            case CreatePolicy -> new PolicyCreated(text(e, "policyName", "?"), e.response("policy", "arn"),
                    e.request("policyDocument"));
            case CreatePolicyVersion -> new PolicyVersionCreated(text(e, "policyArn", "?"),
                    e.response("policyVersion", "versionId"), e.request("policyDocument"),
                    e.request("setAsDefault").map("true"::equalsIgnoreCase).orElse(false));
            case SetDefaultPolicyVersion -> new DefaultVersionSet(text(e, "policyArn", "?"), text(e, "versionId", "?"));
            case AddUserToGroup -> new UserAddedToGroup(text(e, "userName", "?"), text(e, "groupName", "?"));
            case CreateUser, CreateLoginProfile, UpdateLoginProfile ->
                    new CredentialIssued(k, e.request("userName"), e.request("userName"), Optional.empty());
            case CreateAccessKey -> new CredentialIssued(k, e.request("userName"), e.request("userName")
                    .or(() -> e.response("accessKey", "userName")), e.response("accessKey", "accessKeyId"));
            case CreateServiceSpecificCredential, UploadSSHPublicKey, UploadSigningCertificate ->
                    new CredentialIssued(k, e.request("userName"), e.request("userName")
                            .or(() -> e.actor().selfUserName()), Optional.empty());
            case CreateOpenIDConnectProvider, CreateSAMLProvider ->
                    new IdentityProviderChanged(k, e.request("url").or(() -> e.request("name")).orElse("?"));
            case UpdateSAMLProvider -> new IdentityProviderChanged(k, text(e, "sAMLProviderArn", "?"));
            case AddClientIDToOpenIDConnectProvider, UpdateOpenIDConnectProviderThumbprint ->
                    new IdentityProviderChanged(k, text(e, "openIDConnectProviderArn", "?"));
            case DetachRolePolicy, DetachUserPolicy, DetachGroupPolicy ->
                    new PolicyDetached(k, ref(k, e), text(e, "policyArn", "?"));
            case DeleteRolePolicy, DeleteUserPolicy, DeleteGroupPolicy ->
                    new InlinePolicyDeleted(k, ref(k, e), text(e, "policyName", "?"));
            case RemoveUserFromGroup -> new UserRemovedFromGroup(text(e, "userName", "?"), text(e, "groupName", "?"));
            case AddRoleToInstanceProfile ->
                    new RoleAddedToInstanceProfile(text(e, "roleName", "?"), text(e, "instanceProfileName", "?"));
            case TagRole, TagUser -> new TagsChanged(k, ref(k, e), strings(e.requestParameters().get("tags"),
                    Optional.of("key")), false);
            case UntagRole, UntagUser -> new TagsChanged(k, ref(k, e), strings(e.requestParameters().get("tagKeys"),
                    Optional.empty()), true);
            // Without `userName` the key is the caller's own.
            case UpdateAccessKey -> new AccessKeyStatusSet(e.request("userName"), e.request("userName")
                    .or(() -> e.actor().selfUserName()), text(e, "accessKeyId", "?"),
                    e.request("status").map("Active"::equalsIgnoreCase).orElse(false));
            case DeactivateMFADevice -> new MfaRemoved(k, e.request("userName"), "user " + e.request("userName")
                    .or(() -> e.actor().selfUserName()).orElse("?"));
            case DeleteVirtualMFADevice -> new MfaRemoved(k, Optional.empty(), text(e, "serialNumber", "?"));
            case UpdateRole -> new RoleUpdated(text(e, "roleName", "?"));
            case DeletePolicy, DeletePolicyVersion, DeleteRole, DeleteUser, DeleteGroup, DeleteAccessKey,
                    DeleteLoginProfile, DeleteOpenIDConnectProvider, DeleteSAMLProvider ->
                    new AccessRemoved(k, principalNamed(e));
            case PutBucketPolicy, PutBucketAcl, PutBucketPublicAccessBlock, DeleteBucketPublicAccessBlock,
                    AddPermission20150331v2, PutKeyPolicy, CreateGrant, SetTopicAttributes, SetQueueAttributes,
                    SetRepositoryPolicy, PutResourcePolicy -> new ResourcePolicySet(k);
        };
    }

    /**
     * Two names are shared with calls of other services: {@code PutResourcePolicy} is read as Secrets Manager's (it
     * names a secret), {@code CreateGrant} as KMS's (it names a key).
     */
    private static boolean shapeFits(EventKind k, CloudTrailEvent e) {
        return switch (k) {
            case PutResourcePolicy -> e.request("secretId").isPresent();
            case CreateGrant -> e.request("keyId").isPresent();
            default -> true;
        };
    }

    /** The principal of a call of the table, by the kind of principal its name says it changes. */
    private static PrincipalRef ref(EventKind k, CloudTrailEvent e) {
        String name = k.name();
        if (name.contains("Role")) {
            return role(e);
        }
        if (name.contains("Group")) {
            return new PrincipalRef(PrincipalRef.Kind.GROUP, text(e, "groupName", "?"));
        }
        return new PrincipalRef(PrincipalRef.Kind.USER, text(e, "userName", "?"));
    }

    private static PrincipalRef role(CloudTrailEvent e) {
        return new PrincipalRef(PrincipalRef.Kind.ROLE, text(e, "roleName", "?"));
    }

    /** The principal any other call names: its role, else its user, else its group. */
    static Optional<PrincipalRef> principalNamed(CloudTrailEvent e) {
        return e.request("roleName").map(r -> new PrincipalRef(PrincipalRef.Kind.ROLE, r))
                .or(() -> e.request("userName").map(u -> new PrincipalRef(PrincipalRef.Kind.USER, u)))
                .or(() -> e.request("groupName").map(g -> new PrincipalRef(PrincipalRef.Kind.GROUP, g)));
    }

    private static String text(CloudTrailEvent e, String key, String absent) {
        return e.request(key).orElse(absent);
    }

    /** The strings of an array (or the {@code field} of each object in it), as CloudTrail lists tags and tag keys. */
    private static List<String> strings(Node node, Optional<String> field) {
        List<String> out = new ArrayList<>();
        if (node instanceof Node.Arr arr) {
            for (Node item : arr.items()) {
                Node value = field.isPresent() && item instanceof Node.Obj o ? o.get(field.get()) : item;
                if (value instanceof Node.Str str && !str.value().isEmpty()) {
                    out.add(str.value());
                }
            }
        }
        return out;
    }
}
