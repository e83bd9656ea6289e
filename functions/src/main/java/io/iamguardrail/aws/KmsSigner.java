package io.iamguardrail.aws;

import io.iamguardrail.remediation.Signer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsInvalidMacException;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * Signs with an HMAC key in KMS ({@code HMAC_256}, usage {@code GENERATE_VERIFY_MAC}): {@code GenerateMac} and
 * {@code VerifyMac} with {@code HMAC_SHA_256}. The key never leaves KMS, so writing the bucket or the table is not
 * enough to forge a MAC: that takes {@code kms:GenerateMac} on this key, which only the evaluator role has.
 *
 * <p>KMS takes messages of at most 4,096 bytes, and a backup or a trust policy can be larger: the MAC is over the
 * SHA-256 digest of the bytes (the digest is collision resistant, so a MAC over it binds the bytes themselves).
 */
public final class KmsSigner implements Signer {

    private static final MacAlgorithmSpec ALGORITHM = MacAlgorithmSpec.HMAC_SHA_256;

    private final KmsClient kms;
    private final String keyId;

    /** @param keyId the key's ARN (or id, or alias ARN), as {@code MAC_KEY_ID} or {@code --mac-key-id} give it */
    public KmsSigner(KmsClient kms, String keyId) {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("expected a KMS key id for the MAC key but found none");
        }
        this.kms = kms;
        this.keyId = keyId.trim();
    }

    @Override
    public Optional<String> keyId() {
        return Optional.of(keyId);
    }

    @Override
    public Optional<Mac> sign(byte[] bytes) {
        SdkBytes mac = kms.generateMac(b -> b.keyId(keyId).macAlgorithm(ALGORITHM).message(digest(bytes))).mac();
        return Optional.of(new Mac(keyId, Base64.getEncoder().encodeToString(mac.asByteArray())));
    }

    @Override
    public boolean verify(byte[] bytes, Mac mac) {
        byte[] given;
        try {
            given = Base64.getDecoder().decode(mac.value());
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        if (given.length == 0) {
            return false;
        }
        try {
            // Always this signer's key, never the one the stored MAC names: a MAC made with any other key fails.
            Boolean valid = kms.verifyMac(b -> b.keyId(keyId).macAlgorithm(ALGORITHM).message(digest(bytes))
                    .mac(SdkBytes.fromByteArray(given))).macValid();
            return Boolean.TRUE.equals(valid);
        } catch (KmsInvalidMacException invalid) {
            return false;
        }
    }

    static SdkBytes digest(byte[] bytes) {
        try {
            return SdkBytes.fromByteArray(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("expected SHA-256 in every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "KMS key " + keyId;
    }
}
