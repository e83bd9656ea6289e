package io.iamguardrail.remediation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The integrity of one stored snapshot: what its MAC covers, and the check on read. The MAC covers the kind, the
 * unique id, the name, the attribute, the value and the time it was recorded, each length-prefixed so that no two
 * different snapshots have the same bytes; a snapshot copied to another principal's key, or given another value or
 * a fresher date, no longer verifies.
 */
public final class SignedSnapshot {

    /** How long a snapshot is trusted (the table's TTL deletes it a little later, as DynamoDB gets to it). */
    public static final Duration LIFETIME = Duration.ofDays(90);

    /** Distinguishes these bytes from anything else the same key signs (backups). */
    static final String DOMAIN = "iam-guardrail/snapshot/1";

    private SignedSnapshot() {
    }

    public static byte[] canonical(SnapshotStore.Slot slot, String value, Instant recordedAt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : new String[]{DOMAIN, slot.kind(), slot.uniqueId(), slot.name(), slot.attribute(), value,
                recordedAt.toString()}) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(bytes);
            out.write('\n');
        }
        return out.toByteArray();
    }

    /**
     * What a stored snapshot is worth: found only when its MAC is the signer's over exactly this slot (the one asked
     * for, not the one the item claims), value and time, and it is younger than {@link #LIFETIME}.
     *
     * @param recordedAt as stored (ISO-8601), unparsed
     */
    public static SnapshotStore.Read check(Signer signer, SnapshotStore.Slot slot, String value, String recordedAt,
                                           Optional<Signer.Mac> mac, Instant now) {
        if (mac.isEmpty()) {
            return new SnapshotStore.Rejected("the " + slot.attribute() + " snapshot of " + slot.name() + " (" + slot.uniqueId()
                    + ") is unsigned: it was not written by the guardrail");
        }
        Instant at;
        try {
            at = Instant.parse(recordedAt);
        } catch (RuntimeException bad) {
            return new SnapshotStore.Rejected("expected an ISO-8601 recordedAt in the " + slot.attribute() + " snapshot of "
                    + slot.name() + " but found `" + recordedAt + "`");
        }
        boolean valid;
        try {
            valid = signer.verify(canonical(slot, value, at), mac.get());
        } catch (RuntimeException e) {
            return new SnapshotStore.Rejected("the " + slot.attribute() + " snapshot of " + slot.name()
                    + " could not be verified with " + signer + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + Planner.firstLine(e.getMessage())));
        }
        if (!valid) {
            return new SnapshotStore.Rejected("the MAC of the " + slot.attribute() + " snapshot of " + slot.name() + " ("
                    + slot.uniqueId() + ") does not verify with " + signer + ": it was changed after it was recorded,"
                    + " or signed with another key");
        }
        if (at.plus(LIFETIME).isBefore(now)) {
            return new SnapshotStore.Absent();
        }
        return new SnapshotStore.Found(value);
    }
}
