package io.iamguardrail.cli;

import io.iamguardrail.aws.AwsIamPort;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.KmsSigner;
import io.iamguardrail.aws.S3BackupStore;
import io.iamguardrail.remediation.BackupIntegrity;
import io.iamguardrail.remediation.Restorer;
import io.iamguardrail.remediation.Signer;
import io.iamguardrail.remediation.StoredBackup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.iam.IamClient;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code restore}: puts back what a remediation changed, from its backup, against live AWS (standard SDK
 * configuration, AWS_ENDPOINT_URL included). Before anything else the backup's MAC is verified and its entries'
 * targets are checked against their values; a backup that fails is refused and IAM is not touched. Refuses too when
 * the state moved on since the remediation, unless --force.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Undo a remediation from its backup (the alert gives the backup id).",
        footer = {"", "Exit codes: 0 restored (or already in place), 1 refused (the backup's MAC does not verify, it is unsigned,"
                + " or its content disagrees with itself; or the state changed since the remediation: use --force), or a call"
                + " failed, 2 bad usage or no such backup. BACKUP_BUCKET is the default --backup-bucket, MAC_KEY_ID of"
                + " --mac-key-id."})
final class RestoreCommand implements Callable<Integer> {

    @Option(names = "--backup-bucket", paramLabel = "BUCKET", description = "the bucket the backup is in (default: $BACKUP_BUCKET)")
    String bucket;

    @Option(names = "--force", description = "restore even when the state changed since the remediation")
    boolean force;

    @Option(names = "--mac-key-id", paramLabel = "ARN",
            description = "the guardrail's KMS HMAC key to verify the backup with (default: $MAC_KEY_ID, else the key"
                    + " named in the backup)")
    String macKeyId;

    @Option(names = "--allow-unsigned", description = "restore a backup that carries no MAC (one written without a key)")
    boolean allowUnsigned;

    @Option(names = "--assume-role-name", paramLabel = "NAME",
            description = "a hub's backup of a member account: write to that account through role NAME assumed there"
                    + " (the bucket and the key are read with the caller's credentials)")
    String assumeRoleName;

    @Option(names = "--external-id", paramLabel = "ID",
            description = "with --assume-role-name: the external id the role's trust policy requires")
    String externalId;

    @Parameters(paramLabel = "BACKUP_ID", arity = "1",
            description = "the backup id from the alert (<eventId>/<n>; a hub's of a member account: <account>/<eventId>/<n>,"
                    + " restored only with credentials of that account)")
    String backupId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String b = bucket != null ? bucket : System.getenv("BACKUP_BUCKET");
        if (b == null || b.isBlank()) {
            err.println("iam-guardrail: restore needs --backup-bucket BUCKET (or BACKUP_BUCKET): where the backup is");
            return Main.USAGE;
        }
        if (!backupId.matches("(\\d{12}/)?[A-Za-z0-9._-]+/\\d+")) {
            err.println("iam-guardrail: expected a backup id of the form [<account>/]<eventId>/<n> but found `"
                    + backupId + "`");
            return Main.USAGE;
        }
        IamClient iam;
        try {
            iam = BackupAccount.iam(backupId, Optional.ofNullable(assumeRoleName), Optional.ofNullable(externalId));
        } catch (UsageException e) {
            err.println("iam-guardrail: " + e.getMessage());
            return Main.USAGE;
        }
        StoredBackup stored;
        try {
            stored = new S3BackupStore(Clients.s3(), b, Signer.NONE).load(backupId);
        } catch (IllegalArgumentException e) {
            err.println("iam-guardrail: " + e.getMessage());
            return Main.USAGE;
        }
        String key = macKeyId != null && !macKeyId.isBlank() ? macKeyId : System.getenv("MAC_KEY_ID");
        Signer signer = key != null && !key.isBlank() ? new KmsSigner(Clients.kms(), key)
                : stored.mac().<Signer>map(m -> new KmsSigner(Clients.kms(), m.keyId())).orElse(Signer.NONE);
        List<String> problems = BackupIntegrity.problems(backupId, stored, signer, allowUnsigned);
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("iam-guardrail: " + p));
            err.println("iam-guardrail: refused to restore " + backupId + ": the backup cannot be trusted (see above);"
                    + " nothing was changed.");
            return Main.FINDINGS;
        }
        if (stored.mac().isPresent() && (key == null || key.isBlank())) {
            err.println("iam-guardrail: backup " + backupId + " verified with the key it names, " + stored.mac().get().keyId()
                    + " (pass --mac-key-id to require the guardrail's key)");
        } else if (stored.mac().isEmpty()) {
            err.println("iam-guardrail: backup " + backupId + " is unsigned and restored as --allow-unsigned asks");
        }
        Restorer.Result result = new Restorer(new AwsIamPort(iam)).restore(stored.backup(), force);
        for (Restorer.Step s : result.steps()) {
            out.println(s.status() + " " + s.action() + " " + s.target() + ": " + s.detail());
        }
        out.flush();
        if (result.refused()) {
            err.println("iam-guardrail: refused to restore " + backupId + ": the state changed since the remediation"
                    + " (see above); nothing was changed. Use --force to restore anyway.");
            return Main.FINDINGS;
        }
        return result.ok() ? Main.CLEAN : Main.FINDINGS;
    }
}
