package io.iamguardrail.remediation;

import java.util.List;

/**
 * Where backups go before any remediation acts (a versioned, encrypted S3 bucket in {@code io.iamguardrail.aws}),
 * each signed over its exact stored bytes when a MAC key is configured.
 */
public interface BackupStore {

    /** A fresh backup id for this event ({@code <eventId>/<n>}). */
    String nextId(String eventId);

    void save(Backup backup);

    /**
     * The backup as stored, with its MAC, unverified: {@link BackupIntegrity} checks it before anything is restored.
     *
     * @throws IllegalArgumentException with a clear message when there is no such backup
     */
    StoredBackup load(String backupId);

    /** Where the backup lives, for the alert (for example {@code s3://bucket/backups/ID.json}). */
    String location(String backupId);

    /** The flags that name the store on the command line ({@code --backup-bucket B}, and the MAC key when it signs). */
    List<String> cliArguments();
}
