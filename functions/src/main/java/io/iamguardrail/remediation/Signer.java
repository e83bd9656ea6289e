package io.iamguardrail.remediation;

import java.util.Optional;

/**
 * Signs what the guardrail stores and later acts on (backups, last-known-good snapshots), so that a copy rewritten by
 * someone who can write the bucket or the table is refused instead of written back to IAM. The Lambda signs with an
 * HMAC key in KMS (the KMS signer of the AWS adapters); nobody who can write the stores can use that key.
 */
public interface Signer {

    /**
     * A MAC and the key that made it.
     *
     * @param keyId the key, as the signer names it (a KMS key ARN)
     * @param value the MAC, base64
     */
    record Mac(String keyId, String value) {
        public Mac {
            if (keyId == null || keyId.isBlank() || value == null || value.isBlank()) {
                throw new IllegalArgumentException("expected a key id and a MAC but found `" + keyId + "` and `" + value + "`");
            }
        }
    }

    /** The key this signer signs and verifies with; empty for {@link #NONE}. */
    Optional<String> keyId();

    /** The MAC of exactly these bytes; empty when this signer does not sign ({@link #NONE}). */
    Optional<Mac> sign(byte[] bytes);

    /**
     * Whether {@code mac} is this signer's MAC of exactly these bytes. A MAC made with another key is not (even
     * when {@code mac} names that key: only this signer's key is trusted). {@link #NONE} verifies nothing.
     *
     * @throws RuntimeException when the key could not be asked (the caller refuses: unverified is never trusted)
     */
    boolean verify(byte[] bytes, Mac mac);

    /** No key configured: nothing is signed and nothing verifies. */
    Signer NONE = new Signer() {
        @Override
        public Optional<String> keyId() {
            return Optional.empty();
        }

        @Override
        public Optional<Mac> sign(byte[] bytes) {
            return Optional.empty();
        }

        @Override
        public boolean verify(byte[] bytes, Mac mac) {
            return false;
        }

        @Override
        public String toString() {
            return "no MAC key";
        }
    };
}
