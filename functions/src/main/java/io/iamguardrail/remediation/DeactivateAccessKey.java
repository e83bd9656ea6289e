package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.iamguardrail.remediation.ActionWords.aws;

/** Deactivate (never delete) an access key. */
public record DeactivateAccessKey(String userName, String accessKeyId) implements RemediationAction {

    static final String KIND = "DEACTIVATE_ACCESS_KEY";

    public String kind() {
        return KIND;
    }

    public String target() {
        return "user " + userName + " access key " + accessKeyId;
    }

    public String describe() {
        return "deactivate access key " + accessKeyId + " of user " + userName + " (not deleted)";
    }

    public Optional<PrincipalRef> principal() {
        return Optional.of(user());
    }

    private PrincipalRef user() {
        return new PrincipalRef(PrincipalRef.Kind.USER, userName);
    }

    public Set<Grant> grants() {
        return Set.of(Grant.on(user(), "iam:GetUser"), Grant.on(user(), "iam:ListAccessKeys"),
                Grant.on(user(), "iam:UpdateAccessKey"));
    }

    public List<String> undoCommands() {
        return List.of(aws("update-access-key", "--user-name", userName, "--access-key-id", accessKeyId,
                "--status", "Active"));
    }

    public Lifecycle.Prepared prepare(Lifecycle.Context c, String eventId, Optional<String> chosen) throws Lifecycle.Noop {
        IamPort iam = c.iam();
        String status = iam.accessKeyStatus(userName, accessKeyId).orElseThrow(() -> new Lifecycle.Noop("access key "
                + accessKeyId + " of user " + userName + " no longer exists"));
        if (!status.equals("Active")) {
            throw new Lifecycle.Noop("access key " + accessKeyId + " is already " + status);
        }
        return new Lifecycle.Prepared(this, Map.of("userName", userName, "accessKeyId", accessKeyId, "status", status),
                () -> iam.setAccessKeyStatus(userName, accessKeyId, "Inactive"),
                () -> iam.accessKeyStatus(userName, accessKeyId).orElse("").equals("Inactive"),
                "deactivated access key " + accessKeyId + " of user " + userName + " (not deleted)");
    }

    public Lifecycle.Restoring restoring(Backup.Entry e, IamPort iam) {
        Optional<String> now = iam.accessKeyStatus(userName, accessKeyId);
        if (now.isEmpty()) {
            return Lifecycle.Restoring.gone("access key " + accessKeyId + " of user " + userName + " no longer exists");
        }
        if (now.get().equals("Active")) {
            return Lifecycle.Restoring.inPlace("access key " + accessKeyId + " is active already");
        }
        return Lifecycle.Restoring.ready(() -> iam.setAccessKeyStatus(userName, accessKeyId, "Active"));
    }

    public String restored(Backup.Entry e) {
        return "reactivated access key " + accessKeyId + " of user " + userName;
    }

    static DeactivateAccessKey fromBackup(Backup.Entry e) {
        return new DeactivateAccessKey(e.value("userName"), e.value("accessKeyId"));
    }

    static List<RemediationAction> examples() {
        return List.of(new DeactivateAccessKey("example", "AKIAEXAMPLE"));
    }
}
