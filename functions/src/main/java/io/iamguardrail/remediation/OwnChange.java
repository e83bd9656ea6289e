package io.iamguardrail.remediation;

import io.iamguardrail.event.CloudTrailEvent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One IAM write the guardrail is about to make, as its CloudTrail event will show it: the API name and the request
 * parameters that say what it touched. A policy document counts by its digest (the request copy in the event is the
 * exact text that was sent), so a record for one document never excuses another.
 */
public record OwnChange(String eventName, TreeMap<String, String> parameters) {

    /** The request parameters that identify a write; the rest (tags, descriptions) do not. */
    static final List<String> IDENTIFYING = List.of("roleName", "userName", "groupName", "policyArn", "policyName",
            "versionId", "accessKeyId", "status", "permissionsBoundary", "policyDocument");

    public OwnChange {
        parameters = new TreeMap<>(parameters);
    }

    /** A write as the remediation makes it. */
    public static OwnChange of(String eventName, Map<String, String> parameters) {
        TreeMap<String, String> p = new TreeMap<>();
        parameters.forEach((k, v) -> p.put(k, k.equals("policyDocument") ? digest(v) : v));
        return new OwnChange(eventName, p);
    }

    /** The same write as its CloudTrail event records it. */
    public static OwnChange of(CloudTrailEvent e) {
        TreeMap<String, String> p = new TreeMap<>();
        for (String key : IDENTIFYING) {
            Optional<String> v = e.request(key);
            v.ifPresent(value -> p.put(key, key.equals("policyDocument") ? digest(value) : value));
        }
        return new OwnChange(e.eventName(), p);
    }

    /** The key a record is stored under. */
    public String key() {
        StringBuilder b = new StringBuilder(eventName);
        parameters.forEach((k, v) -> b.append('|').append(k).append('=').append(v));
        return "own#" + digest(b.toString());
    }

    static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
