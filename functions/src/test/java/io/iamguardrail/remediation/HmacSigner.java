package io.iamguardrail.remediation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA-256 in process, for tests of what is signed and checked (the Lambda's key is in KMS: KmsSigner). */
final class HmacSigner implements Signer {

    private final String keyId;
    private final byte[] key;

    HmacSigner(String keyId, String secret) {
        this.keyId = keyId;
        this.key = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<String> keyId() {
        return Optional.of(keyId);
    }

    @Override
    public Optional<Signer.Mac> sign(byte[] bytes) {
        return Optional.of(new Signer.Mac(keyId, Base64.getEncoder().encodeToString(hmac(bytes))));
    }

    @Override
    public boolean verify(byte[] bytes, Signer.Mac mac) {
        return MessageDigest.isEqual(hmac(bytes), Base64.getDecoder().decode(mac.value()));
    }

    private byte[] hmac(byte[] bytes) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256"); // Signer.Mac is the record
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "key " + keyId;
    }
}
