package io.iamguardrail.remediation;

import io.iamguardrail.json.NodeReader;
import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.iamguardrail.remediation.ActionWords.aws;
import static io.iamguardrail.remediation.ActionWords.cli;
import static io.iamguardrail.remediation.ActionWords.inTheBackup;
import static io.iamguardrail.remediation.ActionWords.nameFlag;
import static io.iamguardrail.remediation.ActionWords.noun;

/** Delete a risky inline policy; its document is in the backup first. */
public record DeleteInlinePolicy(PrincipalRef on, String policyName) implements RemediationAction {

    static final String KIND = "DELETE_INLINE_POLICY";

    public String kind() {
        return KIND;
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

    public Set<Grant> grants() {
        return Set.of(Grant.on(on, "iam:Get" + noun(on)), Grant.on(on, "iam:Get" + noun(on) + "Policy"),
                Grant.on(on, "iam:Delete" + noun(on) + "Policy"));
    }

    public List<String> undoCommands() {
        return List.of(aws("put-" + cli(on) + "-policy", nameFlag(on), on.name(), "--policy-name", policyName,
                "--policy-document", "file://policy.json") + inTheBackup("policy.json"));
    }

    public Lifecycle.Prepared prepare(Lifecycle.Context c, String eventId, Optional<String> chosen) throws Lifecycle.Noop {
        IamPort iam = c.iam();
        Lifecycle.requirePrincipal(iam, on);
        String doc = iam.inlinePolicy(on, policyName)
                .orElseThrow(() -> new Lifecycle.Noop(on + " no longer has the inline policy " + policyName));
        return new Lifecycle.Prepared(this, ActionWords.values(on, "policyName", policyName, "document", doc),
                () -> iam.deleteInlinePolicy(on, policyName), () -> iam.inlinePolicy(on, policyName).isEmpty(),
                "deleted the inline policy " + policyName + " of " + on + " (document in the backup)");
    }

    public Lifecycle.Restoring restoring(Backup.Entry e, IamPort iam) {
        String doc = e.value("document");
        if (iam.principal(on).isEmpty()) {
            return Lifecycle.Restoring.gone(on + " no longer exists");
        }
        Optional<String> now = iam.inlinePolicy(on, policyName);
        if (now.isPresent()) {
            return NodeReader.sameDocument(now.get(), doc)
                    ? Lifecycle.Restoring.inPlace("the inline policy " + policyName + " of " + on + " is back already")
                    : Lifecycle.Restoring.movedOn(on + " has a different inline policy " + policyName + " now",
                    () -> iam.putInlinePolicy(on, policyName, doc));
        }
        return Lifecycle.Restoring.ready(() -> iam.putInlinePolicy(on, policyName, doc));
    }

    public String restored(Backup.Entry e) {
        return "put the inline policy " + policyName + " of " + on + " back";
    }

    static DeleteInlinePolicy fromBackup(Backup.Entry e) {
        return new DeleteInlinePolicy(BackupEntries.ref(e), e.value("policyName"));
    }

    static List<RemediationAction> examples() {
        return Examples.onEveryPrincipal(ref -> new DeleteInlinePolicy(ref, "example"));
    }
}
