package io.iamguardrail.change;

import io.iamguardrail.change.IamChange.AccessKeyStatusSet;
import io.iamguardrail.change.IamChange.AccessRemoved;
import io.iamguardrail.change.IamChange.BoundaryDeleted;
import io.iamguardrail.change.IamChange.BoundaryPut;
import io.iamguardrail.change.IamChange.CredentialIssued;
import io.iamguardrail.change.IamChange.DefaultVersionSet;
import io.iamguardrail.change.IamChange.GroupMembership;
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
import io.iamguardrail.event.CloudTrailEvent;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every CloudTrail call the guardrail knows, with how it is read, which way it moves access and which record of
 * {@link IamChange} reads its request: the one table that
 * the evaluator, the EventBridge patterns of template.yaml (a test keeps them equal), the samples in events/ and the
 * remediation plan follow. Constants are spelt exactly as CloudTrail names the call, so a name is its own lookup.
 */
public enum EventKind {
    // Changes judged on the principal or policy they change, as IAM has it afterwards.
    CreateRole(Handling.EVALUATED, Direction.ADDS, RoleCreated::of),
    UpdateAssumeRolePolicy(Handling.EVALUATED, Direction.ADDS, TrustUpdated::of),
    PutRolePolicy(Handling.EVALUATED, Direction.ADDS, InlinePolicyPut::of),
    AttachRolePolicy(Handling.EVALUATED, Direction.ADDS, PolicyAttached::of),
    PutRolePermissionsBoundary(Handling.EVALUATED, Direction.ADDS, BoundaryPut::of),
    DeleteRolePermissionsBoundary(Handling.EVALUATED, Direction.LIFTS_A_LIMIT, BoundaryDeleted::of),
    CreatePolicy(Handling.EVALUATED, Direction.ADDS, PolicyCreated::of),
    CreatePolicyVersion(Handling.EVALUATED, Direction.ADDS, PolicyVersionCreated::of),
    SetDefaultPolicyVersion(Handling.EVALUATED, Direction.ADDS, DefaultVersionSet::of),
    PutUserPolicy(Handling.EVALUATED, Direction.ADDS, InlinePolicyPut::of),
    AttachUserPolicy(Handling.EVALUATED, Direction.ADDS, PolicyAttached::of),
    PutUserPermissionsBoundary(Handling.EVALUATED, Direction.ADDS, BoundaryPut::of),
    DeleteUserPermissionsBoundary(Handling.EVALUATED, Direction.LIFTS_A_LIMIT, BoundaryDeleted::of),
    PutGroupPolicy(Handling.EVALUATED, Direction.ADDS, InlinePolicyPut::of),
    AttachGroupPolicy(Handling.EVALUATED, Direction.ADDS, PolicyAttached::of),
    AddUserToGroup(Handling.EVALUATED, Direction.ADDS, GroupMembership::added),
    CreateUser(Handling.EVALUATED, Direction.ADDS, CredentialIssued::of),
    CreateAccessKey(Handling.EVALUATED, Direction.ADDS, CredentialIssued::accessKey),
    CreateLoginProfile(Handling.EVALUATED, Direction.ADDS, CredentialIssued::of),
    UpdateLoginProfile(Handling.EVALUATED, Direction.ADDS, CredentialIssued::of),
    CreateOpenIDConnectProvider(Handling.EVALUATED, Direction.ADDS, IdentityProviderChanged::created),
    CreateSAMLProvider(Handling.EVALUATED, Direction.ADDS, IdentityProviderChanged::created),

    // Reversals (a Deny or a quarantine taken away) and takeovers: judged by the rules about the change.
    DetachRolePolicy(Handling.WATCHED, Direction.LIFTS_A_LIMIT, PolicyDetached::of),
    DetachUserPolicy(Handling.WATCHED, Direction.LIFTS_A_LIMIT, PolicyDetached::of),
    DetachGroupPolicy(Handling.WATCHED, Direction.LIFTS_A_LIMIT, PolicyDetached::of),
    DeleteRolePolicy(Handling.WATCHED, Direction.LIFTS_A_LIMIT, InlinePolicyDeleted::of),
    DeleteUserPolicy(Handling.WATCHED, Direction.LIFTS_A_LIMIT, InlinePolicyDeleted::of),
    DeleteGroupPolicy(Handling.WATCHED, Direction.LIFTS_A_LIMIT, InlinePolicyDeleted::of),
    RemoveUserFromGroup(Handling.WATCHED, Direction.LIFTS_A_LIMIT, GroupMembership::removed),
    UpdateAccessKey(Handling.WATCHED, Direction.ADDS, AccessKeyStatusSet::of),
    UpdateSAMLProvider(Handling.WATCHED, Direction.ADDS, IdentityProviderChanged::saml),
    AddClientIDToOpenIDConnectProvider(Handling.WATCHED, Direction.ADDS, IdentityProviderChanged::oidc),
    UpdateOpenIDConnectProviderThumbprint(Handling.WATCHED, Direction.ADDS, IdentityProviderChanged::oidc),
    CreateServiceSpecificCredential(Handling.WATCHED, Direction.ADDS, CredentialIssued::ownOrOther),
    UploadSSHPublicKey(Handling.WATCHED, Direction.ADDS, CredentialIssued::ownOrOther),
    UploadSigningCertificate(Handling.WATCHED, Direction.ADDS, CredentialIssued::ownOrOther),
    DeactivateMFADevice(Handling.WATCHED, Direction.LIFTS_A_LIMIT, MfaRemoved::deactivated),
    DeleteVirtualMFADevice(Handling.WATCHED, Direction.LIFTS_A_LIMIT, MfaRemoved::deleted),
    AddRoleToInstanceProfile(Handling.WATCHED, Direction.ADDS, RoleAddedToInstanceProfile::of),
    UpdateRole(Handling.WATCHED, Direction.ADDS, RoleUpdated::of),
    TagRole(Handling.WATCHED, Direction.ADDS, TagsChanged::tagged),
    TagUser(Handling.WATCHED, Direction.ADDS, TagsChanged::tagged),
    UntagRole(Handling.WATCHED, Direction.LIFTS_A_LIMIT, TagsChanged::untagged),
    UntagUser(Handling.WATCHED, Direction.LIFTS_A_LIMIT, TagsChanged::untagged),

    // Changes that only take access away: recorded in the decision log, never alerted.
    DeletePolicy(Handling.RECORDED, Direction.REMOVES, AccessRemoved::of),
    DeletePolicyVersion(Handling.RECORDED, Direction.REMOVES, AccessRemoved::of),
    DeleteRole(Handling.RECORDED, Direction.REMOVES, AccessRemoved::of),
    DeleteUser(Handling.RECORDED, Direction.REMOVES, AccessRemoved::of),
    DeleteGroup(Handling.RECORDED, Direction.REMOVES, AccessRemoved::of),
    DeleteAccessKey(Handling.RECORDED, Direction.REMOVES, AccessRemoved::of),
    DeleteLoginProfile(Handling.RECORDED, Direction.REMOVES, AccessRemoved::of),
    DeleteOpenIDConnectProvider(Handling.RECORDED, Direction.REMOVES, AccessRemoved::of),
    DeleteSAMLProvider(Handling.RECORDED, Direction.REMOVES, AccessRemoved::of),

    // Resource policies that can open a resource to the world or another account (regional services; alert only).
    PutBucketPolicy(Handling.RESOURCE_POLICY, Direction.ADDS, ResourcePolicySet::of, "aws.s3"),
    PutBucketAcl(Handling.RESOURCE_POLICY, Direction.ADDS, ResourcePolicySet::of, "aws.s3"),
    PutBucketPublicAccessBlock(Handling.RESOURCE_POLICY, Direction.LIFTS_A_LIMIT, ResourcePolicySet::of, "aws.s3"),
    DeleteBucketPublicAccessBlock(Handling.RESOURCE_POLICY, Direction.LIFTS_A_LIMIT, ResourcePolicySet::of, "aws.s3"),
    AddPermission20150331v2(Handling.RESOURCE_POLICY, Direction.ADDS, ResourcePolicySet::of, "aws.lambda"),
    PutKeyPolicy(Handling.RESOURCE_POLICY, Direction.ADDS, ResourcePolicySet::of, "aws.kms"),
    CreateGrant(Handling.RESOURCE_POLICY, Direction.ADDS, ResourcePolicySet::of, "aws.kms"),
    SetTopicAttributes(Handling.RESOURCE_POLICY, Direction.ADDS, ResourcePolicySet::of, "aws.sns"),
    SetQueueAttributes(Handling.RESOURCE_POLICY, Direction.ADDS, ResourcePolicySet::of, "aws.sqs"),
    SetRepositoryPolicy(Handling.RESOURCE_POLICY, Direction.ADDS, ResourcePolicySet::of, "aws.ecr"),
    PutResourcePolicy(Handling.RESOURCE_POLICY, Direction.ADDS, ResourcePolicySet::of, "aws.secretsmanager");

    /** How the guardrail reads a change of this kind. */
    public enum Handling {
        /** The changed principal or policy is evaluated with the change applied. */
        EVALUATED,
        /** What the change took away or opened is read, and the rules about the change decide. */
        WATCHED,
        /** Only takes access away: recorded, never alerted (not delivered by EventBridge). */
        RECORDED,
        /** A resource's policy, evaluated with the resource rules; never remediated. */
        RESOURCE_POLICY
    }

    /** Which way the change moves access. */
    public enum Direction {
        ADDS,
        /** Takes something away that may have limited access (a Deny, a boundary, MFA, a quarantine). */
        LIFTS_A_LIMIT,
        REMOVES
    }

    /** Reads a call of this kind into its record of {@link IamChange}. */
    @FunctionalInterface
    interface Decoder {
        IamChange decode(EventKind kind, CloudTrailEvent e);
    }

    private final Handling handling;
    private final Direction direction;
    private final Decoder decoder;
    private final String source;

    EventKind(Handling handling, Direction direction, Decoder decoder) {
        this(handling, direction, decoder, "aws.iam");
    }

    EventKind(Handling handling, Direction direction, Decoder decoder, String source) {
        this.handling = handling;
        this.direction = direction;
        this.decoder = decoder;
        this.source = source;
    }

    /** The call read into its record. */
    IamChange decode(CloudTrailEvent e) {
        return decoder.decode(this, e);
    }

    public Handling handling() {
        return handling;
    }

    public Direction direction() {
        return direction;
    }

    /** The EventBridge {@code source} of the call, e.g. {@code aws.iam}. */
    public String source() {
        return source;
    }

    /** Whether a CloudTrail event name is this kind's: how rules name a call, so a misspelt name does not compile. */
    public boolean is(String eventName) {
        return name().equals(eventName);
    }

    /** The kind of a call by its CloudTrail name; empty for a call the guardrail does not know. */
    public static Optional<EventKind> named(String eventName) {
        for (EventKind k : values()) {
            if (k.name().equals(eventName)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** The CloudTrail names of the calls read one way. */
    public static Set<String> names(Handling handling) {
        return Arrays.stream(values()).filter(k -> k.handling == handling).map(Enum::name)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The EventBridge sources of the calls read one way. */
    public static Set<String> sources(Handling handling) {
        return Arrays.stream(values()).filter(k -> k.handling == handling).map(EventKind::source)
                .collect(Collectors.toUnmodifiableSet());
    }
}
