package io.iamguardrail.remediation;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last-known-good state: the trust policy and permissions boundary of every role or user seen clean, and the last
 * default version of a managed policy that evaluated clean, so that a risky change can be put back (the DynamoDB
 * table in the Lambda). Keyed by unique id, not by name: a principal deleted and created again under the same name
 * never inherits what was recorded for the old one. A stored entry that fails its integrity check is never returned
 * as a value; {@link #read} says why it was rejected.
 */
public interface SnapshotStore {

    /**
     * One recorded fact: {@code attribute} of the principal or policy with unique id {@code uniqueId}.
     *
     * @param kind     role, user or policy
     * @param uniqueId RoleId {@code AROA…}, UserId {@code AIDA…} or PolicyId {@code ANPA…}, from IAM
     * @param name     the ARN, as IAM gives it for that id
     */
    record Slot(String kind, String uniqueId, String name, String attribute) {
        public Slot {
            for (String part : new String[]{kind, uniqueId, name, attribute}) {
                if (part == null || part.isBlank()) {
                    throw new IllegalArgumentException("expected a kind, a unique id, a name and an attribute for a"
                            + " snapshot but found `" + kind + "`, `" + uniqueId + "`, `" + name + "`, `" + attribute + "`");
                }
            }
        }

        public static Slot trustPolicy(IamPort.Principal role) {
            return new Slot(kindOf(role), role.id(), role.arn(), "trustPolicy");
        }

        public static Slot boundary(IamPort.Principal principal) {
            return new Slot(kindOf(principal), principal.id(), principal.arn(), "boundaryArn");
        }

        public static Slot cleanDefaultVersion(String policyArn, String policyId) {
            return new Slot("policy", policyId, policyArn, "cleanDefaultVersion");
        }

        /** The store's key: the attribute and the unique id, never the name. */
        public String key() {
            return "snapshot#" + attribute + "#" + uniqueId;
        }

        /**
         * {@code role} or {@code user}: the resource type of the ARN ({@code arn:aws:iam::123456789012:role/path/name};
         * the sixth field, since a path may itself hold colons).
         */
        private static String kindOf(IamPort.Principal p) {
            String[] fields = (p.arn() == null ? "" : p.arn()).split(":", 6);
            int slash = fields.length < 6 ? -1 : fields[5].indexOf('/');
            return slash < 0 ? "" : fields[5].substring(0, slash);
        }
    }

    /** What reading a slot found. */
    sealed interface Read permits Found, Absent, Rejected {
        /** The value, only when it was found and passed its integrity check. */
        default Optional<String> value() {
            return this instanceof Found f ? Optional.of(f.snapshot()) : Optional.empty();
        }
    }

    record Found(String snapshot) implements Read {
    }

    /** Nothing recorded for this slot (or what was recorded has expired). */
    record Absent() implements Read {
    }

    /** Something is stored but is not trusted, and why (unsigned, a MAC that does not verify, unreadable). */
    record Rejected(String reason) implements Read {
    }

    Read read(Slot slot);

    void record(Slot slot, String value);

    default Optional<String> trustPolicy(IamPort.Principal role) {
        return read(Slot.trustPolicy(role)).value();
    }

    default void recordTrustPolicy(IamPort.Principal role, String document) {
        record(Slot.trustPolicy(role), document);
    }

    default Optional<String> boundary(IamPort.Principal principal) {
        return read(Slot.boundary(principal)).value();
    }

    default void recordBoundary(IamPort.Principal principal, String policyArn) {
        record(Slot.boundary(principal), policyArn);
    }

    /** The last default version of the policy that evaluated clean. */
    default Optional<String> cleanDefaultVersion(String policyArn, String policyId) {
        return read(Slot.cleanDefaultVersion(policyArn, policyId)).value();
    }

    default void recordCleanDefaultVersion(String policyArn, String policyId, String versionId) {
        record(Slot.cleanDefaultVersion(policyArn, policyId), versionId);
    }

    /** Nothing is recorded: every read is absent. */
    SnapshotStore NONE = new SnapshotStore() {
        @Override
        public Read read(Slot slot) {
            return new Absent();
        }

        @Override
        public void record(Slot slot, String value) {
        }
    };

    /** For one process (a CLI run): nobody else can write it, so nothing is signed. */
    static SnapshotStore inMemory() {
        Map<Slot, String> m = new ConcurrentHashMap<>();
        return new SnapshotStore() {
            @Override
            public Read read(Slot slot) {
                String v = m.get(slot);
                return v == null ? new Absent() : new Found(v);
            }

            @Override
            public void record(Slot slot, String value) {
                m.put(slot, value);
            }
        };
    }
}
