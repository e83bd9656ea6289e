package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Everything the remediation executor may call, for the function's role: the template grants exactly
 * {@link #requiredIamActions()} (a template test compares the two).
 */
public final class Remediations {

    /** Backups: write (with SSE-KMS) and count the backups of an event. */
    public static final List<String> BACKUP_ACTIONS = List.of("s3:PutObject", "s3:ListBucket");
    /** Snapshots of last-known-good state and the rate guard's counter, in the guardrail's table. */
    public static final List<String> TABLE_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:UpdateItem");
    /** Backups and snapshots are signed, and snapshots verified, with the MAC key ({@code MAC_KEY_ID}). */
    public static final List<String> SIGNING_ACTIONS = List.of("kms:GenerateMac", "kms:VerifyMac");

    private Remediations() {
    }

    /** One instance of every action for every kind of principal it applies to. */
    public static List<RemediationAction> examples() {
        List<RemediationAction> all = new java.util.ArrayList<>();
        for (PrincipalRef.Kind kind : PrincipalRef.Kind.values()) {
            PrincipalRef ref = new PrincipalRef(kind, "example");
            all.add(new RemediationAction.DetachPolicy(ref, "arn:aws:iam::123456789012:policy/example"));
            all.add(new RemediationAction.DeleteInlinePolicy(ref, "example"));
            all.add(new RemediationAction.Quarantine(ref, "arn:aws:iam::123456789012:policy/quarantine"));
            if (kind != PrincipalRef.Kind.GROUP) {
                all.add(new RemediationAction.RestoreBoundary(ref));
            }
        }
        all.add(new RemediationAction.RestoreDefaultVersion("arn:aws:iam::123456789012:policy/example", "v2", Optional.empty()));
        all.add(new RemediationAction.RestoreTrustPolicy("example"));
        all.add(new RemediationAction.DeactivateAccessKey("example", "AKIAEXAMPLE"));
        all.add(new RemediationAction.RemoveFromGroup("example", "example"));
        return all;
    }

    /** IAM, S3, DynamoDB and KMS action names the executor may call, sorted: what the function role needs for remediation. */
    public static SortedSet<String> requiredIamActions() {
        SortedSet<String> all = new TreeSet<>();
        examples().forEach(a -> all.addAll(a.requiredPermissions()));
        all.addAll(BACKUP_ACTIONS);
        all.addAll(TABLE_ACTIONS);
        all.addAll(SIGNING_ACTIONS);
        return all;
    }
}
