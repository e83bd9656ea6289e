package io.iamguardrail.change;

import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Optional;

import static io.iamguardrail.change.Requests.anyPrincipal;
import static io.iamguardrail.change.Requests.named;
import static io.iamguardrail.change.Requests.role;
import static io.iamguardrail.change.Requests.strings;
import static io.iamguardrail.change.Requests.text;
import static io.iamguardrail.change.Requests.userOrCaller;

/**
 * One CloudTrail call, decoded once ({@link ChangeDecoder}) into what it changed: each record reads its call's request
 * itself, and the call's {@link EventKind} row names that reader. Each knows the principal whose access it changes, as
 * the event names it: who is evaluated, who an exemption may name, who a remediation acts on. Values the event lacks
 * stay empty or {@code ?}: a redacted record is judged, never dropped.
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
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new InlinePolicyPut(k, named(k, e), e.request("policyName").orElse("(unnamed)"),
                    e.request("policyDocument"));
        }

        public String shown() {
            return to + " inline policy " + policyName;
        }
    }

    record PolicyAttached(EventKind call, PrincipalRef to, String policyArn) implements OnPrincipal {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new PolicyAttached(k, named(k, e), text(e, "policyArn"));
        }

        public String shown() {
            return to + " policy " + policyArn;
        }
    }

    /**
     * @param trust        the request's trust policy, raw JSON as the caller wrote it
     * @param encodedTrust the response's copy, URL-encoded as IAM returns it (the request copy may be redacted)
     * @param createdArn   the ARN the response names for the role, path included
     */
    record RoleCreated(EventKind call, PrincipalRef to, Optional<String> trust, Optional<String> encodedTrust,
                       Optional<String> boundaryArn, Optional<String> createdArn) implements OnPrincipal {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new RoleCreated(k, role(e), e.request("assumeRolePolicyDocument"),
                    e.response("role", "assumeRolePolicyDocument"), e.request("permissionsBoundary"),
                    e.response("role", "arn"));
        }

        public String shown() {
            return to.toString();
        }
    }

    record TrustUpdated(EventKind call, PrincipalRef to, Optional<String> document) implements OnPrincipal {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new TrustUpdated(k, role(e), e.request("policyDocument"));
        }

        public String shown() {
            return to + " trust policy";
        }
    }

    record BoundaryPut(EventKind call, PrincipalRef to, String boundaryArn) implements OnPrincipal {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new BoundaryPut(k, named(k, e), text(e, "permissionsBoundary"));
        }

        public String shown() {
            return to + " permissions boundary " + boundaryArn;
        }
    }

    record BoundaryDeleted(EventKind call, PrincipalRef to) implements OnPrincipal {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new BoundaryDeleted(k, named(k, e));
        }

        public String shown() {
            return to.toString();
        }
    }

    /** A user joins a group (or, when {@code removed}, leaves it): the user's access is what changes. */
    record GroupMembership(EventKind call, String user, String group, boolean removed) implements OnPrincipal {
        static IamChange added(EventKind k, CloudTrailEvent e) {
            return new GroupMembership(k, text(e, "userName"), text(e, "groupName"), false);
        }

        static IamChange removed(EventKind k, CloudTrailEvent e) {
            return new GroupMembership(k, text(e, "userName"), text(e, "groupName"), true);
        }

        public PrincipalRef to() {
            return new PrincipalRef(PrincipalRef.Kind.USER, user);
        }

        public String shown() {
            return "user " + user + (removed ? " out of group " : " in group ") + group;
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
            implements Listed {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new CredentialIssued(k, e.request("userName"), e.request("userName"), Optional.empty());
        }

        static IamChange accessKey(EventKind k, CloudTrailEvent e) {
            return new CredentialIssued(k, e.request("userName"), e.request("userName")
                    .or(() -> e.response("accessKey", "userName")), e.response("accessKey", "accessKeyId"));
        }

        /** Credentials a user may add to itself by naming no user. */
        static IamChange ownOrOther(EventKind k, CloudTrailEvent e) {
            return new CredentialIssued(k, e.request("userName"), userOrCaller(e), Optional.empty());
        }

        public Optional<PrincipalRef> principal() {
            return user.map(u -> new PrincipalRef(PrincipalRef.Kind.USER, u));
        }

        public String shown() {
            return "user " + owner.orElse("?");
        }
    }

    record PolicyCreated(EventKind call, String name, Optional<String> arn, Optional<String> document)
            implements OnPolicy {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new PolicyCreated(k, text(e, "policyName"), e.response("policy", "arn"), e.request("policyDocument"));
        }

        public String shown() {
            return arn.orElse("policy " + name);
        }
    }

    /** @param versionId the new version's id from the response (empty when redacted) */
    record PolicyVersionCreated(EventKind call, String policyArn, Optional<String> versionId, Optional<String> document,
                                boolean setAsDefault) implements OnPolicy {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new PolicyVersionCreated(k, text(e, "policyArn"), e.response("policyVersion", "versionId"),
                    e.request("policyDocument"), e.request("setAsDefault").map("true"::equalsIgnoreCase).orElse(false));
        }

        public String shown() {
            return policyArn + " " + versionId.orElse("new version");
        }
    }

    record DefaultVersionSet(EventKind call, String policyArn, String versionId) implements OnPolicy {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new DefaultVersionSet(k, text(e, "policyArn"), text(e, "versionId"));
        }

        public String shown() {
            return policyArn + " " + versionId;
        }
    }

    /** An identity provider created or changed: the provider's URL, name or ARN. */
    record IdentityProviderChanged(EventKind call, String provider) implements OnPolicy {
        static IamChange created(EventKind k, CloudTrailEvent e) {
            return new IdentityProviderChanged(k, e.request("url").or(() -> e.request("name")).orElse("?"));
        }

        static IamChange saml(EventKind k, CloudTrailEvent e) {
            return new IdentityProviderChanged(k, text(e, "sAMLProviderArn"));
        }

        static IamChange oidc(EventKind k, CloudTrailEvent e) {
            return new IdentityProviderChanged(k, text(e, "openIDConnectProviderArn"));
        }

        public String shown() {
            return provider;
        }
    }

    record PolicyDetached(EventKind call, PrincipalRef to, String policyArn) implements OnPrincipal {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new PolicyDetached(k, named(k, e), text(e, "policyArn"));
        }

        public String shown() {
            return to + " policy " + policyArn;
        }
    }

    record InlinePolicyDeleted(EventKind call, PrincipalRef to, String policyName) implements OnPrincipal {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new InlinePolicyDeleted(k, named(k, e), text(e, "policyName"));
        }

        public String shown() {
            return to + " inline policy " + policyName;
        }
    }

    record RoleAddedToInstanceProfile(EventKind call, PrincipalRef to, String instanceProfile) implements OnPrincipal {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new RoleAddedToInstanceProfile(k, role(e), text(e, "instanceProfileName"));
        }

        public String shown() {
            return to + " on instance profile " + instanceProfile;
        }
    }

    /** Tags set or (when {@code removed}) taken off a role or user. */
    record TagsChanged(EventKind call, PrincipalRef to, List<String> keys, boolean removed) implements OnPrincipal {
        public TagsChanged {
            keys = List.copyOf(keys);
        }

        static IamChange tagged(EventKind k, CloudTrailEvent e) {
            return new TagsChanged(k, named(k, e), strings(e.requestParameters().get("tags"), Optional.of("key")), false);
        }

        static IamChange untagged(EventKind k, CloudTrailEvent e) {
            return new TagsChanged(k, named(k, e), strings(e.requestParameters().get("tagKeys"), Optional.empty()), true);
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
    record AccessKeyStatusSet(EventKind call, Optional<String> user, Optional<String> owner, String accessKeyId,
                              boolean activated) implements Listed {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new AccessKeyStatusSet(k, e.request("userName"), userOrCaller(e), text(e, "accessKeyId"),
                    e.request("status").map("Active"::equalsIgnoreCase).orElse(false));
        }

        public Optional<PrincipalRef> principal() {
            return user.map(u -> new PrincipalRef(PrincipalRef.Kind.USER, u));
        }

        public String shown() {
            return "user " + owner.orElse("?") + " access key " + accessKeyId;
        }
    }

    /** An MFA device deactivated (for the user the request names) or deleted (by serial number). */
    record MfaRemoved(EventKind call, Optional<String> user, String shownAs) implements Listed {
        static IamChange deactivated(EventKind k, CloudTrailEvent e) {
            return new MfaRemoved(k, e.request("userName"), "user " + userOrCaller(e).orElse("?"));
        }

        static IamChange deleted(EventKind k, CloudTrailEvent e) {
            return new MfaRemoved(k, Optional.empty(), text(e, "serialNumber"));
        }

        public Optional<PrincipalRef> principal() {
            return user.map(u -> new PrincipalRef(PrincipalRef.Kind.USER, u));
        }

        public String shown() {
            return shownAs;
        }
    }

    record RoleUpdated(EventKind call, PrincipalRef to) implements OnPrincipal {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new RoleUpdated(k, role(e));
        }

        public String shown() {
            return to.toString();
        }
    }

    /** A change that only takes access away. */
    record AccessRemoved(EventKind call, Optional<PrincipalRef> principal) implements Listed {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new AccessRemoved(k, anyPrincipal(e));
        }

        public String shown() {
            return principal.map(PrincipalRef::toString).orElse(call.name());
        }
    }

    /** A resource's policy set: read by the resource-policy reader of its service. */
    record ResourcePolicySet(EventKind call) implements Listed {
        static IamChange of(EventKind k, CloudTrailEvent e) {
            return new ResourcePolicySet(k);
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
        static IamChange of(CloudTrailEvent e) {
            return new Unlisted(e.eventName(), anyPrincipal(e));
        }

        public Optional<EventKind> kind() {
            return Optional.empty();
        }

        public String shown() {
            return principal.map(PrincipalRef::toString).orElse(eventName);
        }
    }

    /** A call of the table. */
    sealed interface Listed extends IamChange {
        EventKind call();

        default Optional<EventKind> kind() {
            return Optional.of(call());
        }
    }

    /** A change of one named role, user or group. */
    sealed interface OnPrincipal extends Listed {
        PrincipalRef to();

        default Optional<PrincipalRef> principal() {
            return Optional.of(to());
        }
    }

    /** A change of a managed policy or an identity provider, no principal's directly. */
    sealed interface OnPolicy extends Listed {
        default Optional<PrincipalRef> principal() {
            return Optional.empty();
        }
    }
}
