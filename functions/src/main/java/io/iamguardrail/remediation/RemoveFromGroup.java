package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.iamguardrail.remediation.ActionWords.aws;

/** Remove a user from the privileged group it was just added to. */
public record RemoveFromGroup(String userName, String groupName) implements RemediationAction {

    static final String KIND = "REMOVE_FROM_GROUP";

    public String kind() {
        return KIND;
    }

    public String target() {
        return "user " + userName + " in group " + groupName;
    }

    public String describe() {
        return "remove user " + userName + " from group " + groupName;
    }

    public Optional<PrincipalRef> principal() {
        return Optional.of(user());
    }

    private PrincipalRef user() {
        return new PrincipalRef(PrincipalRef.Kind.USER, userName);
    }

    /** IAM authorises the removal on the group, the reads on the user. */
    public Set<Grant> grants() {
        return Set.of(Grant.on(user(), "iam:GetUser"), Grant.on(user(), "iam:ListGroupsForUser"),
                new Grant("iam:RemoveUserFromGroup", Grant.Resource.GROUP));
    }

    public List<String> undoCommands() {
        return List.of(aws("add-user-to-group", "--user-name", userName, "--group-name", groupName));
    }

    public Lifecycle.Prepared prepare(Lifecycle.Context c, String eventId, Optional<String> chosen) throws Lifecycle.Noop {
        IamPort iam = c.iam();
        Lifecycle.requirePrincipal(iam, user());
        if (!iam.groupsForUser(userName).contains(groupName)) {
            throw new Lifecycle.Noop("user " + userName + " is no longer in group " + groupName);
        }
        return new Lifecycle.Prepared(this, Map.of("userName", userName, "groupName", groupName),
                () -> iam.removeUserFromGroup(userName, groupName),
                () -> !iam.groupsForUser(userName).contains(groupName),
                "removed user " + userName + " from group " + groupName);
    }

    public Lifecycle.Restoring restoring(Backup.Entry e, IamPort iam) {
        if (iam.principal(user()).isEmpty()) {
            return Lifecycle.Restoring.gone("user " + userName + " no longer exists");
        }
        if (iam.groupsForUser(userName).contains(groupName)) {
            return Lifecycle.Restoring.inPlace("user " + userName + " is in group " + groupName + " already");
        }
        return Lifecycle.Restoring.ready(() -> iam.addUserToGroup(userName, groupName));
    }

    public String restored(Backup.Entry e) {
        return "added user " + userName + " to group " + groupName + " again";
    }

    static RemoveFromGroup fromBackup(Backup.Entry e) {
        return new RemoveFromGroup(e.value("userName"), e.value("groupName"));
    }

    static List<RemediationAction> examples() {
        return List.of(new RemoveFromGroup("example", "example"));
    }
}
