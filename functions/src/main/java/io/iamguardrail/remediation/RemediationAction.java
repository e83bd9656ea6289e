package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One thing the guardrail may do to undo a risky change. Each action names what it touches, the IAM actions the
 * executor calls for it (reads to re-check and verify included, as Cloud Custodian's {@code get_permissions}) and
 * how a person undoes it with the AWS CLI.
 */
public sealed interface RemediationAction {

    /** The stable name in alerts and backups: DETACH_POLICY, DELETE_INLINE_POLICY, ... */
    String kind();

    /** What is touched, as a reader finds it in the console: an ARN, or a principal and a policy name. */
    String target();

    /** One line: what the action does. */
    String describe();

    /** The principal the action acts on; empty for an action on a managed policy itself. */
    Optional<PrincipalRef> principal();

    /** IAM action names the executor calls for this action, reads included. */
    Set<String> requiredPermissions();

    /** The AWS CLI commands that undo the action (documents come from the backup). */
    List<String> undoCommands();

    /** Detach a risky managed policy from a role, user or group. */
    record DetachPolicy(PrincipalRef on, String policyArn) implements RemediationAction {
        public String kind() {
            return "DETACH_POLICY";
        }

        public String target() {
            return policyArn;
        }

        public String describe() {
            return "detach " + policyArn + " from " + on;
        }

        public Optional<PrincipalRef> principal() {
            return Optional.of(on);
        }

        public Set<String> requiredPermissions() {
            return perms("iam:Get" + noun(on), "iam:ListAttached" + noun(on) + "Policies", "iam:Detach" + noun(on) + "Policy");
        }

        public List<String> undoCommands() {
            return List.of(aws("attach-" + cli(on) + "-policy", nameFlag(on), on.name(), "--policy-arn", policyArn));
        }
    }

    /** Delete a risky inline policy; its document is in the backup first. */
    record DeleteInlinePolicy(PrincipalRef on, String policyName) implements RemediationAction {
        public String kind() {
            return "DELETE_INLINE_POLICY";
        }

        public String target() {
            return on + " inline policy " + policyName;
        }

        public String describe() {
            return "delete the inline policy " + policyName + " of " + on + " (document backed up)";
        }

        public Optional<PrincipalRef> principal() {
            return Optional.of(on);
        }

        public Set<String> requiredPermissions() {
            return perms("iam:Get" + noun(on), "iam:Get" + noun(on) + "Policy", "iam:Delete" + noun(on) + "Policy");
        }

        public List<String> undoCommands() {
            return List.of(aws("put-" + cli(on) + "-policy", nameFlag(on), on.name(), "--policy-name", policyName,
                    "--policy-document", "file://policy.json") + fromBackup("policy.json"));
        }
    }

    /**
     * Set the previous default version of a customer-managed policy back; the risky version stays, non-default, for
     * review. {@code previousVersionId} is empty until the executor has read the versions.
     */
    record RestoreDefaultVersion(String policyArn, String riskyVersionId, Optional<String> previousVersionId)
            implements RemediationAction {
        public String kind() {
            return "RESTORE_DEFAULT_VERSION";
        }

        public String target() {
            return policyArn;
        }

        public String describe() {
            return "set the previous default version" + previousVersionId.map(v -> " " + v).orElse("") + " of "
                    + policyArn + " back (" + riskyVersionId + " stays, not default, for review)";
        }

        public Optional<PrincipalRef> principal() {
            return Optional.empty();
        }

        public Set<String> requiredPermissions() {
            return perms("iam:GetPolicy", "iam:ListPolicyVersions", "iam:SetDefaultPolicyVersion");
        }

        public List<String> undoCommands() {
            return List.of(aws("set-default-policy-version", "--policy-arn", policyArn, "--version-id", riskyVersionId));
        }
    }

    /** Put the role's last trust policy that evaluated clean back (from the snapshot store). */
    record RestoreTrustPolicy(String roleName) implements RemediationAction {
        public String kind() {
            return "RESTORE_TRUST_POLICY";
        }

        public String target() {
            return "role " + roleName + " trust policy";
        }

        public String describe() {
            return "restore the last known good trust policy of role " + roleName + " (quarantine when none is known)";
        }

        public Optional<PrincipalRef> principal() {
            return Optional.of(new PrincipalRef(PrincipalRef.Kind.ROLE, roleName));
        }

        public Set<String> requiredPermissions() {
            // Without a last known good trust policy it quarantines: those permissions too.
            Set<String> p = perms("iam:GetRole", "iam:UpdateAssumeRolePolicy");
            p.addAll(new Quarantine(principal().orElseThrow(), "").requiredPermissions());
            return p;
        }

        public List<String> undoCommands() {
            return List.of(aws("update-assume-role-policy", "--role-name", roleName, "--policy-document",
                    "file://trust.json") + fromBackup("trust.json"));
        }
    }

    /** Deactivate (never delete) an access key. */
    record DeactivateAccessKey(String userName, String accessKeyId) implements RemediationAction {
        public String kind() {
            return "DEACTIVATE_ACCESS_KEY";
        }

        public String target() {
            return "user " + userName + " access key " + accessKeyId;
        }

        public String describe() {
            return "deactivate access key " + accessKeyId + " of user " + userName + " (not deleted)";
        }

        public Optional<PrincipalRef> principal() {
            return Optional.of(new PrincipalRef(PrincipalRef.Kind.USER, userName));
        }

        public Set<String> requiredPermissions() {
            return perms("iam:GetUser", "iam:ListAccessKeys", "iam:UpdateAccessKey");
        }

        public List<String> undoCommands() {
            return List.of(aws("update-access-key", "--user-name", userName, "--access-key-id", accessKeyId,
                    "--status", "Active"));
        }
    }

    /** Remove a user from the privileged group it was just added to. */
    record RemoveFromGroup(String userName, String groupName) implements RemediationAction {
        public String kind() {
            return "REMOVE_FROM_GROUP";
        }

        public String target() {
            return "user " + userName + " in group " + groupName;
        }

        public String describe() {
            return "remove user " + userName + " from group " + groupName;
        }

        public Optional<PrincipalRef> principal() {
            return Optional.of(new PrincipalRef(PrincipalRef.Kind.USER, userName));
        }

        public Set<String> requiredPermissions() {
            return perms("iam:GetUser", "iam:ListGroupsForUser", "iam:RemoveUserFromGroup");
        }

        public List<String> undoCommands() {
            return List.of(aws("add-user-to-group", "--user-name", userName, "--group-name", groupName));
        }
    }

    /** Put a removed permissions boundary back (the last one known, from the snapshot store). */
    record RestoreBoundary(PrincipalRef on) implements RemediationAction {
        public String kind() {
            return "RESTORE_BOUNDARY";
        }

        public String target() {
            return on + " permissions boundary";
        }

        public String describe() {
            return "put the last known permissions boundary of " + on + " back";
        }

        public Optional<PrincipalRef> principal() {
            return Optional.of(on);
        }

        public Set<String> requiredPermissions() {
            return perms("iam:Get" + noun(on), "iam:Put" + noun(on) + "PermissionsBoundary");
        }

        public List<String> undoCommands() {
            return List.of(aws("delete-" + cli(on) + "-permissions-boundary", nameFlag(on), on.name()));
        }
    }

    /** Attach the stack's deny-all policy and tag the principal with the event id (groups cannot be tagged). */
    record Quarantine(PrincipalRef on, String quarantinePolicyArn) implements RemediationAction {
        public static final String TAG = "iam-guardrail:quarantined";

        public String kind() {
            return "QUARANTINE";
        }

        public String target() {
            return on.toString();
        }

        public String describe() {
            return "quarantine " + on + ": attach " + quarantinePolicyArn
                    + (on.kind() == PrincipalRef.Kind.GROUP ? "" : " and tag it " + TAG);
        }

        public Optional<PrincipalRef> principal() {
            return Optional.of(on);
        }

        public Set<String> requiredPermissions() {
            // GetPolicy and GetPolicyVersion: the quarantine policy's default document is verified before attaching.
            Set<String> p = perms("iam:Get" + noun(on), "iam:ListAttached" + noun(on) + "Policies",
                    "iam:Attach" + noun(on) + "Policy", "iam:GetPolicy", "iam:GetPolicyVersion");
            if (on.kind() != PrincipalRef.Kind.GROUP) {
                p.add("iam:Tag" + noun(on));
                p.add("iam:List" + noun(on) + "Tags");
            }
            return p;
        }

        public List<String> undoCommands() {
            String detach = aws("detach-" + cli(on) + "-policy", nameFlag(on), on.name(), "--policy-arn", quarantinePolicyArn);
            return on.kind() == PrincipalRef.Kind.GROUP ? List.of(detach)
                    : List.of(detach, aws("untag-" + cli(on), nameFlag(on), on.name(), "--tag-keys", TAG));
        }
    }

    private static Set<String> perms(String... actions) {
        return new TreeSet<>(List.of(actions));
    }

    /** Role, User, Group: as IAM action names spell the principal. */
    static String noun(PrincipalRef ref) {
        String k = ref.kind().name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(k.charAt(0)) + k.substring(1);
    }

    static String cli(PrincipalRef ref) {
        return ref.kind().name().toLowerCase(Locale.ROOT);
    }

    static String nameFlag(PrincipalRef ref) {
        return "--" + cli(ref) + "-name";
    }

    /**
     * Where a document comes from, as a comment after the command. Plain words only: a shell without interactive
     * comments (zsh's default) reads them as arguments, which the AWS CLI then refuses; nothing in them runs.
     */
    private static String fromBackup(String file) {
        return "  # " + file + ": the document of this action in the backup";
    }

    /** An AWS CLI IAM command, every argument quoted for the shell as needed. */
    private static String aws(String... words) {
        List<String> all = new ArrayList<>(List.of("aws", "iam"));
        all.addAll(List.of(words));
        return ShellQuote.command(all);
    }
}
