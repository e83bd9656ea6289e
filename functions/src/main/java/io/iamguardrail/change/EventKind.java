package io.iamguardrail.change;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every CloudTrail call the guardrail knows, with how it is read and which way it moves access: the one table that
 * the evaluator, the EventBridge patterns of template.yaml (a test keeps them equal), the samples in events/ and the
 * remediation plan follow. Constants are spelt exactly as CloudTrail names the call, so a name is its own lookup.
 */
public enum EventKind {
    // Changes judged on the principal or policy they change, as IAM has it afterwards.
    CreateRole(Handling.EVALUATED, Direction.ADDS),
    UpdateAssumeRolePolicy(Handling.EVALUATED, Direction.ADDS),
    PutRolePolicy(Handling.EVALUATED, Direction.ADDS),
    AttachRolePolicy(Handling.EVALUATED, Direction.ADDS),
    PutRolePermissionsBoundary(Handling.EVALUATED, Direction.ADDS),
    DeleteRolePermissionsBoundary(Handling.EVALUATED, Direction.LIFTS_A_LIMIT),
    CreatePolicy(Handling.EVALUATED, Direction.ADDS),
    CreatePolicyVersion(Handling.EVALUATED, Direction.ADDS),
    SetDefaultPolicyVersion(Handling.EVALUATED, Direction.ADDS),
    PutUserPolicy(Handling.EVALUATED, Direction.ADDS),
    AttachUserPolicy(Handling.EVALUATED, Direction.ADDS),
    PutUserPermissionsBoundary(Handling.EVALUATED, Direction.ADDS),
    DeleteUserPermissionsBoundary(Handling.EVALUATED, Direction.LIFTS_A_LIMIT),
    PutGroupPolicy(Handling.EVALUATED, Direction.ADDS),
    AttachGroupPolicy(Handling.EVALUATED, Direction.ADDS),
    AddUserToGroup(Handling.EVALUATED, Direction.ADDS),
    CreateUser(Handling.EVALUATED, Direction.ADDS),
    CreateAccessKey(Handling.EVALUATED, Direction.ADDS),
    CreateLoginProfile(Handling.EVALUATED, Direction.ADDS),
    UpdateLoginProfile(Handling.EVALUATED, Direction.ADDS),
    CreateOpenIDConnectProvider(Handling.EVALUATED, Direction.ADDS),
    CreateSAMLProvider(Handling.EVALUATED, Direction.ADDS),

    // Reversals (a Deny or a quarantine taken away) and takeovers: judged by the rules about the change.
    DetachRolePolicy(Handling.WATCHED, Direction.LIFTS_A_LIMIT),
    DetachUserPolicy(Handling.WATCHED, Direction.LIFTS_A_LIMIT),
    DetachGroupPolicy(Handling.WATCHED, Direction.LIFTS_A_LIMIT),
    DeleteRolePolicy(Handling.WATCHED, Direction.LIFTS_A_LIMIT),
    DeleteUserPolicy(Handling.WATCHED, Direction.LIFTS_A_LIMIT),
    DeleteGroupPolicy(Handling.WATCHED, Direction.LIFTS_A_LIMIT),
    RemoveUserFromGroup(Handling.WATCHED, Direction.LIFTS_A_LIMIT),
    UpdateAccessKey(Handling.WATCHED, Direction.ADDS),
    UpdateSAMLProvider(Handling.WATCHED, Direction.ADDS),
    AddClientIDToOpenIDConnectProvider(Handling.WATCHED, Direction.ADDS),
    UpdateOpenIDConnectProviderThumbprint(Handling.WATCHED, Direction.ADDS),
    CreateServiceSpecificCredential(Handling.WATCHED, Direction.ADDS),
    UploadSSHPublicKey(Handling.WATCHED, Direction.ADDS),
    UploadSigningCertificate(Handling.WATCHED, Direction.ADDS),
    DeactivateMFADevice(Handling.WATCHED, Direction.LIFTS_A_LIMIT),
    DeleteVirtualMFADevice(Handling.WATCHED, Direction.LIFTS_A_LIMIT),
    AddRoleToInstanceProfile(Handling.WATCHED, Direction.ADDS),
    UpdateRole(Handling.WATCHED, Direction.ADDS),
    TagRole(Handling.WATCHED, Direction.ADDS),
    TagUser(Handling.WATCHED, Direction.ADDS),
    UntagRole(Handling.WATCHED, Direction.LIFTS_A_LIMIT),
    UntagUser(Handling.WATCHED, Direction.LIFTS_A_LIMIT),

    // Changes that only take access away: recorded in the decision log, never alerted.
    DeletePolicy(Handling.RECORDED, Direction.REMOVES),
    DeletePolicyVersion(Handling.RECORDED, Direction.REMOVES),
    DeleteRole(Handling.RECORDED, Direction.REMOVES),
    DeleteUser(Handling.RECORDED, Direction.REMOVES),
    DeleteGroup(Handling.RECORDED, Direction.REMOVES),
    DeleteAccessKey(Handling.RECORDED, Direction.REMOVES),
    DeleteLoginProfile(Handling.RECORDED, Direction.REMOVES),
    DeleteOpenIDConnectProvider(Handling.RECORDED, Direction.REMOVES),
    DeleteSAMLProvider(Handling.RECORDED, Direction.REMOVES),

    // Resource policies that can open a resource to the world or another account (regional services; alert only).
    PutBucketPolicy(Handling.RESOURCE_POLICY, Direction.ADDS, "aws.s3"),
    PutBucketAcl(Handling.RESOURCE_POLICY, Direction.ADDS, "aws.s3"),
    PutBucketPublicAccessBlock(Handling.RESOURCE_POLICY, Direction.LIFTS_A_LIMIT, "aws.s3"),
    DeleteBucketPublicAccessBlock(Handling.RESOURCE_POLICY, Direction.LIFTS_A_LIMIT, "aws.s3"),
    AddPermission20150331v2(Handling.RESOURCE_POLICY, Direction.ADDS, "aws.lambda"),
    PutKeyPolicy(Handling.RESOURCE_POLICY, Direction.ADDS, "aws.kms"),
    CreateGrant(Handling.RESOURCE_POLICY, Direction.ADDS, "aws.kms"),
    SetTopicAttributes(Handling.RESOURCE_POLICY, Direction.ADDS, "aws.sns"),
    SetQueueAttributes(Handling.RESOURCE_POLICY, Direction.ADDS, "aws.sqs"),
    SetRepositoryPolicy(Handling.RESOURCE_POLICY, Direction.ADDS, "aws.ecr"),
    PutResourcePolicy(Handling.RESOURCE_POLICY, Direction.ADDS, "aws.secretsmanager");

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

    private final Handling handling;
    private final Direction direction;
    private final String source;

    EventKind(Handling handling, Direction direction) {
        this(handling, direction, "aws.iam");
    }

    EventKind(Handling handling, Direction direction, String source) {
        this.handling = handling;
        this.direction = direction;
        this.source = source;
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
