package io.iamguardrail.remediation;

import java.util.Optional;

/**
 * A backup as its store holds it: the exact bytes written, the MAC stored with them (none when it was written
 * without a key, or stripped), and what the bytes say. {@link BackupIntegrity} decides whether it may be restored.
 */
public record StoredBackup(Backup backup, byte[] bytes, Optional<Signer.Mac> mac) {
    public StoredBackup {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
