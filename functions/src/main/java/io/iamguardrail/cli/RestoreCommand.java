package io.iamguardrail.cli;

import io.iamguardrail.aws.AwsIamPort;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.S3BackupStore;
import io.iamguardrail.remediation.Backup;
import io.iamguardrail.remediation.Restorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code restore}: puts back what a remediation changed, from its backup, against live AWS (standard SDK
 * configuration, AWS_ENDPOINT_URL included). Refuses when the state moved on since the remediation, unless --force.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Undo a remediation from its backup (the alert gives the backup id).",
        footer = {"", "Exit codes: 0 restored (or already in place), 1 refused because the state changed since the remediation",
                "(use --force), or a call failed, 2 bad usage or no such backup. BACKUP_BUCKET is the default --backup-bucket."})
final class RestoreCommand implements Callable<Integer> {

    @Option(names = "--backup-bucket", paramLabel = "BUCKET", description = "the bucket the backup is in (default: $BACKUP_BUCKET)")
    String bucket;

    @Option(names = "--force", description = "restore even when the state changed since the remediation")
    boolean force;

    @Parameters(paramLabel = "BACKUP_ID", arity = "1", description = "the backup id from the alert (<eventId>/<n>)")
    String backupId;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String b = bucket != null ? bucket : System.getenv("BACKUP_BUCKET");
        if (b == null || b.isBlank()) {
            err.println("iam-guardrail: restore needs --backup-bucket BUCKET (or BACKUP_BUCKET): where the backup is");
            return Main.USAGE;
        }
        if (!backupId.matches("[A-Za-z0-9._-]+/\\d+")) {
            err.println("iam-guardrail: expected a backup id of the form <eventId>/<n> but found `" + backupId + "`");
            return Main.USAGE;
        }
        S3BackupStore store = new S3BackupStore(Clients.s3(), b);
        Backup backup;
        try {
            backup = store.load(backupId);
        } catch (IllegalArgumentException e) {
            err.println("iam-guardrail: " + e.getMessage());
            return Main.USAGE;
        }
        Restorer.Result result = new Restorer(new AwsIamPort(Clients.iam())).restore(backup, force);
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
