package io.iamguardrail.remediation;

import java.util.List;
import java.util.Map;

/**
 * What was in place before a remediation, enough to put it back exactly: one entry per action, keyed by event id.
 *
 * @param id      the backup id {@code restore} takes ({@code <eventId>/<n>})
 * @param entries in the order the actions were taken
 */
public record Backup(String id, String eventId, String createdAt, List<Entry> entries) {

    public Backup {
        entries = List.copyOf(entries);
    }

    /**
     * One action: its kind (DETACH_POLICY, ...), what it was taken on, and the values needed to undo it
     * ({@code document} holds a policy document as IAM had it, URL-decoded).
     */
    public record Entry(String action, String target, Map<String, String> values) {
        public Entry {
            values = Map.copyOf(values);
        }

        public String value(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new IllegalArgumentException("expected `" + key + "` in the backup entry for " + action + " " + target
                        + " but found none");
            }
            return v;
        }
    }
}
