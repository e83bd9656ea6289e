package io.iamguardrail.remediation;

import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Optional;

/**
 * Every kind of IAM change remediation knows, in one table: the principal it touched, the action that undoes it, and
 * whether a clean one sets a last-known-good state. The planner and the snapshot recording read it; nothing else in
 * remediation looks at an event's name.
 */
final class ChangeKinds {

    /** What a clean change of this kind records as last known good. */
    enum Snapshot { PRINCIPAL, POLICY_VERSION, NONE }

    /** How a change of this kind is undone; empty when nothing in effect is left to undo, or the event lacks a name. */
    @FunctionalInterface
    interface Undo {
        Optional<RemediationAction> of(CloudTrailEvent e, Optional<PrincipalRef> touched);
    }

    /**
     * One row: the request fields that name the touched principal, in the order they are tried; the undo (empty: the
     * change has no inverse, so the principal is quarantined); what a clean one records.
     */
    record Kind(List<String> principalFields, Optional<Undo> undo, Snapshot snapshot) {
    }

    /** roleName, else userName, else groupName. */
    private static final List<String> ANY = List.of("roleName", "userName", "groupName");
    /** A group's policy events: a userName in them never names the principal changed. */
    private static final List<String> GROUP = List.of("roleName", "groupName");

    private ChangeKinds() {
    }

    static Kind of(String eventName) {
        return switch (eventName) {
            case "AttachRolePolicy", "AttachUserPolicy" -> undo(ANY, ChangeKinds::detach, Snapshot.NONE);
            case "AttachGroupPolicy" -> undo(GROUP, ChangeKinds::detach, Snapshot.NONE);
            case "PutRolePolicy", "PutUserPolicy" -> undo(ANY, ChangeKinds::deleteInline, Snapshot.NONE);
            case "PutGroupPolicy" -> undo(GROUP, ChangeKinds::deleteInline, Snapshot.NONE);
            case "CreatePolicyVersion" -> undo(ANY, ChangeKinds::newDefaultVersion, Snapshot.POLICY_VERSION);
            case "SetDefaultPolicyVersion" -> undo(ANY, ChangeKinds::otherDefaultVersion, Snapshot.POLICY_VERSION);
            case "UpdateAssumeRolePolicy" -> undo(ANY, (e, touched) -> e.request("roleName").map(RestoreTrustPolicy::new),
                    Snapshot.PRINCIPAL);
            case "CreateAccessKey" -> undo(ANY, ChangeKinds::newKey, Snapshot.NONE);
            case "UpdateAccessKey" -> undo(ANY, ChangeKinds::reactivatedKey, Snapshot.NONE);
            case "AddUserToGroup" -> undo(ANY, ChangeKinds::addedToGroup, Snapshot.NONE);
            case "DeleteRolePermissionsBoundary", "DeleteUserPermissionsBoundary" ->
                    undo(ANY, (e, touched) -> touched.map(RestoreBoundary::new), Snapshot.NONE);
            // A new role has no earlier trust to go back to, and other changes have no inverse: quarantine.
            case "CreateRole", "CreateUser", "PutRolePermissionsBoundary", "PutUserPermissionsBoundary" ->
                    new Kind(ANY, Optional.empty(), Snapshot.PRINCIPAL);
            case "CreatePolicy" -> new Kind(ANY, Optional.empty(), Snapshot.POLICY_VERSION);
            default -> new Kind(ANY, Optional.empty(), Snapshot.NONE);
        };
    }

    /** The principal the event changed, as the event names it. */
    static Optional<PrincipalRef> principal(CloudTrailEvent e) {
        for (String field : of(e.eventName()).principalFields()) {
            Optional<String> name = e.request(field);
            if (name.isPresent()) {
                return Optional.of(new PrincipalRef(kindOf(field), name.get()));
            }
        }
        return Optional.empty();
    }

    private static PrincipalRef.Kind kindOf(String field) {
        return switch (field) {
            case "roleName" -> PrincipalRef.Kind.ROLE;
            case "userName" -> PrincipalRef.Kind.USER;
            default -> PrincipalRef.Kind.GROUP;
        };
    }

    private static Kind undo(List<String> principalFields, Undo undo, Snapshot snapshot) {
        return new Kind(principalFields, Optional.of(undo), snapshot);
    }

    private static Optional<RemediationAction> detach(CloudTrailEvent e, Optional<PrincipalRef> touched) {
        Optional<String> arn = e.request("policyArn");
        return touched.isPresent() && arn.isPresent() ? Optional.of(new DetachPolicy(touched.get(), arn.get()))
                : Optional.empty();
    }

    private static Optional<RemediationAction> deleteInline(CloudTrailEvent e, Optional<PrincipalRef> touched) {
        Optional<String> policy = e.request("policyName");
        return touched.isPresent() && policy.isPresent()
                ? Optional.of(new DeleteInlinePolicy(touched.get(), policy.get())) : Optional.empty();
    }

    private static Optional<RemediationAction> newDefaultVersion(CloudTrailEvent e, Optional<PrincipalRef> touched) {
        boolean isDefault = e.request("setAsDefault").map("true"::equalsIgnoreCase).orElse(false);
        Optional<String> version = e.response("policyVersion", "versionId");
        Optional<String> arn = e.request("policyArn");
        // Not made default: not in effect, nothing to undo.
        return isDefault && arn.isPresent() && version.isPresent()
                ? Optional.of(new RestoreDefaultVersion(arn.get(), version.get(), Optional.empty())) : Optional.empty();
    }

    private static Optional<RemediationAction> otherDefaultVersion(CloudTrailEvent e, Optional<PrincipalRef> touched) {
        Optional<String> arn = e.request("policyArn");
        Optional<String> version = e.request("versionId");
        return arn.isPresent() && version.isPresent()
                ? Optional.of(new RestoreDefaultVersion(arn.get(), version.get(), Optional.empty())) : Optional.empty();
    }

    private static Optional<RemediationAction> newKey(CloudTrailEvent e, Optional<PrincipalRef> touched) {
        Optional<String> user = e.request("userName").or(() -> e.response("accessKey", "userName"));
        Optional<String> key = e.response("accessKey", "accessKeyId");
        return user.isPresent() && key.isPresent() ? Optional.of(new DeactivateAccessKey(user.get(), key.get()))
                : Optional.empty();
    }

    private static Optional<RemediationAction> reactivatedKey(CloudTrailEvent e, Optional<PrincipalRef> touched) {
        // Without `userName` the key is the caller's own.
        Optional<String> user = e.request("userName").or(() -> e.actor().selfUserName());
        Optional<String> key = e.request("accessKeyId");
        boolean active = e.request("status").map("Active"::equalsIgnoreCase).orElse(false);
        return active && user.isPresent() && key.isPresent()
                ? Optional.of(new DeactivateAccessKey(user.get(), key.get())) : Optional.empty();
    }

    private static Optional<RemediationAction> addedToGroup(CloudTrailEvent e, Optional<PrincipalRef> touched) {
        Optional<String> user = e.request("userName");
        Optional<String> group = e.request("groupName");
        return user.isPresent() && group.isPresent() ? Optional.of(new RemoveFromGroup(user.get(), group.get()))
                : Optional.empty();
    }
}
