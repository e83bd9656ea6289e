package io.iamguardrail.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.remediation.Backup;
import io.iamguardrail.remediation.BackupStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backups in S3: {@code backups/<eventId>/<n>.json}, written with server-side encryption (KMS) into a versioned
 * bucket the stack creates. The backup id is {@code <eventId>/<n>}.
 */
public final class S3BackupStore implements BackupStore {

    static final String PREFIX = "backups/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final String bucket;

    public S3BackupStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public String nextId(String eventId) {
        String safe = eventId.replaceAll("[^A-Za-z0-9._-]", "_");
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
        s3.putObject(b -> b.bucket(bucket).key(key(backup.id())).contentType("application/json")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS), RequestBody.fromBytes(body));
    }

    @Override
    public Backup load(String backupId) {
        byte[] bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(backupId))).asByteArray();
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
            return new Backup(root.path("id").asText(backupId), root.path("eventId").asText(), root.path("createdAt").asText(),
                    entries);
        } catch (IOException e) {
            throw new IllegalArgumentException("backup `" + backupId + "` is not readable JSON: " + e.getMessage());
        }
    }

    @Override
    public String location(String backupId) {
        return "s3://" + bucket + "/" + key(backupId);
    }

    @Override
    public List<String> cliArguments() {
        return List.of("--backup-bucket", bucket);
    }

    static String key(String backupId) {
        return PREFIX + backupId + ".json";
    }
}
