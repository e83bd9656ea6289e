package io.iamguardrail.change;

import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Optional;

/**
 * One CloudTrail call, decoded once ({@link ChangeDecoder}) into what it changed. Each kind knows the principal whose
 * access it changes, as the event names it: who is evaluated, who an exemption may name, who a remediation acts on.
 * Values the event lacks stay empty or {@code ?}: a redacted record is judged, never dropped.
 */
public sealed interface IamChange {

    /** The call's kind; empty for a call not in the table ({@link Unlisted}). */
    Optional<EventKind> kind();

    /** The role, user or group whose access the change alters, when there is one. */
    Optional<PrincipalRef> principal();

    /** What the change is about, for people: {@code role build inline policy deploy}. */
    String shown();

    record InlinePolicyPut(EventKind call, PrincipalRef to, String policyName, Optional<String> document)
            implements OnPrincipal {
        public String shown() {
            return to + " inline policy " + policyName;
        }
    }

    record PolicyAttached(EventKind call, PrincipalRef to, String policyArn) implements OnPrincipal {
        public String shown() {
            return to + " policy " + policyArn;
        }
    }

    /**
     * @param trust        the request's trust policy, raw JSON as the caller wrote it
     * @param encodedTrust the response's copy, URL-encoded as IAM returns it (the request copy may be redacted)
     * @param createdArn   the ARN the response names for the role, path included
     */
    record RoleCreated(PrincipalRef to, Optional<String> trust, Optional<String> encodedTrust,
                       Optional<String> boundaryArn, Optional<String> createdArn) implements OnPrincipal {
        public EventKind call() {
            return EventKind.CreateRole;
        }

        public String shown() {
            return to.toString();
        }
    }

    record TrustUpdated(PrincipalRef to, Optional<String> document) implements OnPrincipal {
        public EventKind call() {
            return EventKind.UpdateAssumeRolePolicy;
        }

        public String shown() {
            return to + " trust policy";
        }
    }

    record BoundaryPut(EventKind call, PrincipalRef to, String boundaryArn) implements OnPrincipal {
        public String shown() {
            return to + " permissions boundary " + boundaryArn;
        }
    }

    record BoundaryDeleted(EventKind call, PrincipalRef to) implements OnPrincipal {
        public String shown() {
            return to.toString();
        }
    }

    record UserAddedToGroup(String user, String group) implements OnPrincipal {
        public EventKind call() {
            return EventKind.AddUserToGroup;
        }

        public PrincipalRef to() {
            return new PrincipalRef(PrincipalRef.Kind.USER, user);
        }

        public String shown() {
            return "user " + user + " in group " + group;
        }
    }

    /**
     * A new user, or a credential for one.
     *
     * @param user         the user as the request names it: who is judged, exempted or quarantined
     * @param owner        whose credential it is: the named user, else the one the response names, else the caller
     * @param credentialId the new credential's id, when the response gives it (an access key's id)
     */
    record CredentialIssued(EventKind call, Optional<String> user, Optional<String> owner, Optional<String> credentialId)
            implements IamChange {
        public Optional<EventKind> kind() {
            return Optional.of(call);
        }

        public Optional<PrincipalRef> principal() {
            return user.map(u -> new PrincipalRef(PrincipalRef.Kind.USER, u));
        }

        public String shown() {
            return "user " + owner.orElse("?");
        }
    }

    record PolicyCreated(String name, Optional<String> arn, Optional<String> document) implements OnPolicy {
        public EventKind call() {
            return EventKind.CreatePolicy;
        }

        public String shown() {
            return arn.orElse("policy " + name);
        }
    }

    /** @param versionId the new version's id from the response (empty when redacted) */
    record PolicyVersionCreated(String policyArn, Optional<String> versionId, Optional<String> document,
                                boolean setAsDefault) implements OnPolicy {
        public EventKind call() {
            return EventKind.CreatePolicyVersion;
        }

        public String shown() {
            return policyArn + " " + versionId.orElse("new version");
        }
    }

    record DefaultVersionSet(String policyArn, String versionId) implements OnPolicy {
        public EventKind call() {
            return EventKind.SetDefaultPolicyVersion;
        }

        public String shown() {
            return policyArn + " " + versionId;
        }
    }

    /** An identity provider created or changed: the provider's URL, name or ARN. */
    record IdentityProviderChanged(EventKind call, String provider) implements OnPolicy {
        public String shown() {
            return provider;
        }
    }

    record PolicyDetached(EventKind call, PrincipalRef to, String policyArn) implements OnPrincipal {
        public String shown() {
            return to + " policy " + policyArn;
        }
    }

    record InlinePolicyDeleted(EventKind call, PrincipalRef to, String policyName) implements OnPrincipal {
        public String shown() {
            return to + " inline policy " + policyName;
        }
    }

    record UserRemovedFromGroup(String user, String group) implements OnPrincipal {
        public EventKind call() {
            return EventKind.RemoveUserFromGroup;
        }

        public PrincipalRef to() {
            return new PrincipalRef(PrincipalRef.Kind.USER, user);
        }

        public String shown() {
            return "user " + user + " out of group " + group;
        }
    }

    record RoleAddedToInstanceProfile(String role, String instanceProfile) implements OnPrincipal {
        public EventKind call() {
            return EventKind.AddRoleToInstanceProfile;
        }

        public PrincipalRef to() {
            return new PrincipalRef(PrincipalRef.Kind.ROLE, role);
        }

        public String shown() {
            return "role " + role + " on instance profile " + instanceProfile;
        }
    }

    /** Tags set or (when {@code removed}) taken off a role or user. */
    record TagsChanged(EventKind call, PrincipalRef to, List<String> keys, boolean removed) implements OnPrincipal {
        public TagsChanged {
            keys = List.copyOf(keys);
        }

        public String shown() {
            return to + " tags " + String.join(", ", keys);
        }
    }

    /**
     * An access key's status set: {@code Active} puts a deactivated key back in use.
     *
     * @param user  the user as the request names it
     * @param owner the key's user: the named one, else the caller (IAM's rule when the request names none)
     */
    record AccessKeyStatusSet(Optional<String> user, Optional<String> owner, String accessKeyId, boolean activated)
            implements IamChange {
        public Optional<EventKind> kind() {
            return Optional.of(EventKind.UpdateAccessKey);
        }

        public Optional<PrincipalRef> principal() {
            return user.map(u -> new PrincipalRef(PrincipalRef.Kind.USER, u));
        }

        public String shown() {
            return "user " + owner.orElse("?") + " access key " + accessKeyId;
        }
    }

    /** An MFA device deactivated (for the user the request names) or deleted (by serial number). */
    record MfaRemoved(EventKind call, Optional<String> user, String shownAs) implements IamChange {
        public Optional<EventKind> kind() {
            return Optional.of(call);
        }

        public Optional<PrincipalRef> principal() {
            return user.map(u -> new PrincipalRef(PrincipalRef.Kind.USER, u));
        }

        public String shown() {
            return shownAs;
        }
    }

    record RoleUpdated(String role) implements OnPrincipal {
        public EventKind call() {
            return EventKind.UpdateRole;
        }

        public PrincipalRef to() {
            return new PrincipalRef(PrincipalRef.Kind.ROLE, role);
        }

        public String shown() {
            return "role " + role;
        }
    }

    /** A change that only takes access away. */
    record AccessRemoved(EventKind call, Optional<PrincipalRef> principal) implements IamChange {
        public Optional<EventKind> kind() {
            return Optional.of(call);
        }

        public String shown() {
            return principal.map(PrincipalRef::toString).orElse(call.name());
        }
    }

    /** A resource's policy set: read by the resource-policy reader of its service. */
    record ResourcePolicySet(EventKind call) implements IamChange {
        public Optional<EventKind> kind() {
            return Optional.of(call);
        }

        public Optional<PrincipalRef> principal() {
            return Optional.empty();
        }

        public String shown() {
            return call.name();
        }
    }

    /** A call not in the table (judged only when the root user or a guardrail role makes it). */
    record Unlisted(String eventName, Optional<PrincipalRef> principal) implements IamChange {
        public Optional<EventKind> kind() {
            return Optional.empty();
        }

        public String shown() {
            return principal.map(PrincipalRef::toString).orElse(eventName);
        }
    }

    /** A change of one named role, user or group. */
    sealed interface OnPrincipal extends IamChange permits InlinePolicyPut, PolicyAttached, RoleCreated,
            TrustUpdated, BoundaryPut, BoundaryDeleted, UserAddedToGroup, PolicyDetached, InlinePolicyDeleted,
            UserRemovedFromGroup, RoleAddedToInstanceProfile, TagsChanged, RoleUpdated {
        EventKind call();

        PrincipalRef to();

        default Optional<EventKind> kind() {
            return Optional.of(call());
        }

        default Optional<PrincipalRef> principal() {
            return Optional.of(to());
        }
    }

    /** A change of a managed policy or an identity provider, no principal's directly. */
    sealed interface OnPolicy extends IamChange permits PolicyCreated, PolicyVersionCreated, DefaultVersionSet,
            IdentityProviderChanged {
        EventKind call();

        default Optional<EventKind> kind() {
            return Optional.of(call());
        }

        default Optional<PrincipalRef> principal() {
            return Optional.empty();
        }
    }
}
