package io.iamguardrail.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.remediation.Backup;
import io.iamguardrail.remediation.BackupStore;
import io.iamguardrail.remediation.Signer;
import io.iamguardrail.remediation.StoredBackup;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Backups in S3: {@code backups/<eventId>/<n>.json}, written with server-side encryption (KMS) into a versioned
 * bucket the stack creates. The backup id is {@code <eventId>/<n>}.
 *
 * <p>Signed over the exact bytes of the object, with the MAC and the key id in the object's metadata
 * ({@code x-amz-meta-mac}, {@code x-amz-meta-mac-key-id}) rather than in an envelope around the JSON: the body stays
 * the plain backup document people read with {@code aws s3 cp}, nothing has to be re-serialised to be checked (the
 * MAC is over the bytes as they are stored), and S3 metadata cannot change without writing a new object, which
 * cannot carry a valid MAC without {@code kms:GenerateMac} on the key.
 */
public final class S3BackupStore implements BackupStore {

    static final String PREFIX = "backups/";
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String MAC = "mac";
    static final String MAC_KEY_ID = "mac-key-id";

    private final S3Client s3;
    private final String bucket;
    private final Signer signer;
    private final AccountScope scope;

    /** @param signer signs every backup written ({@link Signer#NONE}: written unsigned, and restore refuses them) */
    public S3BackupStore(S3Client s3, String bucket, Signer signer) {
        this(s3, bucket, signer, AccountScope.OWN);
    }

    /** The backups of one account of a hub's: their ids start with the account ({@code 111122223333/<event>/1}). */
    public S3BackupStore(S3Client s3, String bucket, Signer signer, AccountScope scope) {
        this.s3 = s3;
        this.bucket = bucket;
        this.signer = signer;
        this.scope = scope;
    }

    @Override
    public String nextId(String eventId) {
        String safe = scope.path() + eventId.replaceAll("[^A-Za-z0-9._-]", "_");
        int existing = s3.listObjectsV2(b -> b.bucket(bucket).prefix(PREFIX + safe + "/")).keyCount();
        return safe + "/" + (existing + 1);
    }

    @Override
    public void save(Backup backup) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", "iam-guardrail/backup/1");
        root.put("id", backup.id());
        root.put("eventId", backup.eventId());
        root.put("createdAt", backup.createdAt());
        var entries = root.putArray("entries");
        for (Backup.Entry e : backup.entries()) {
            ObjectNode n = entries.addObject();
            n.put("action", e.action());
            n.put("target", e.target());
            ObjectNode values = n.putObject("values");
            e.values().forEach(values::put);
        }
        byte[] body;
        try {
            body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Map<String, String> metadata = signer.sign(body)
                .map(mac -> Map.of(MAC, mac.value(), MAC_KEY_ID, mac.keyId())).orElse(Map.of());
        s3.putObject(b -> b.bucket(bucket).key(key(backup.id())).contentType("application/json").metadata(metadata)
                .serverSideEncryption(ServerSideEncryption.AWS_KMS), RequestBody.fromBytes(body));
    }

    @Override
    public StoredBackup load(String backupId) {
        byte[] bytes;
        Optional<Signer.Mac> mac;
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(backupId)));
            bytes = object.asByteArray();
            Map<String, String> metadata = object.response().metadata();
            String value = metadata.getOrDefault(MAC, "");
            String keyId = metadata.getOrDefault(MAC_KEY_ID, "");
            mac = value.isBlank() || keyId.isBlank() ? Optional.empty() : Optional.of(new Signer.Mac(keyId, value));
        } catch (NoSuchKeyException e) {
            throw new IllegalArgumentException("no backup `" + backupId + "` in s3://" + bucket + "/" + key(backupId)
                    + " (expected an id as the alert gives it: <eventId>/<n>)");
        }
        try {
            JsonNode root = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            List<Backup.Entry> entries = new ArrayList<>();
            for (JsonNode n : root.path("entries")) {
                Map<String, String> values = new LinkedHashMap<>();
                n.path("values").fields().forEachRemaining(f -> values.put(f.getKey(), f.getValue().asText()));
                entries.add(new Backup.Entry(n.path("action").asText(), n.path("target").asText(), values));
            }
            return new StoredBackup(new Backup(root.path("id").asText(), root.path("eventId").asText(),
                    root.path("createdAt").asText(), entries), bytes, mac);
        } catch (IOException e) {
            throw new IllegalArgumentException("backup `" + backupId + "` is not readable JSON: " + e.getMessage());
        }
    }

    @Override
    public String location(String backupId) {
        return "s3://" + bucket + "/" + key(backupId);
    }

    /** The bucket, and the key restore must verify with: the alert pins it, so a backup cannot name its own. */
    @Override
    public List<String> cliArguments() {
        List<String> args = new ArrayList<>(List.of("--backup-bucket", bucket));
        signer.keyId().ifPresent(k -> args.addAll(List.of("--mac-key-id", k)));
        return List.copyOf(args);
    }

    static String key(String backupId) {
        return PREFIX + backupId + ".json";
    }
}
