package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.Optional;

/**
 * Last-known-good state: the trust policy and permissions boundary of every role or user seen clean, so that a
 * risky trust change or a removed boundary can be put back (the DynamoDB table in the Lambda).
 */
public interface SnapshotStore {

    Optional<String> trustPolicy(String roleName);

    void recordTrustPolicy(String roleName, String document);

    Optional<String> boundary(PrincipalRef ref);

    void recordBoundary(PrincipalRef ref, String policyArn);

    /** The version of a customer-managed policy last recorded as a default that evaluated clean. */
    Optional<String> cleanDefaultVersion(String policyArn);

    void recordCleanDefaultVersion(String policyArn, String versionId);

    SnapshotStore NONE = new SnapshotStore() {
        @Override
        public Optional<String> cleanDefaultVersion(String policyArn) {
            return Optional.empty();
        }

        @Override
        public void recordCleanDefaultVersion(String policyArn, String versionId) {
        }

        @Override
        public Optional<String> trustPolicy(String roleName) {
            return Optional.empty();
        }

        @Override
        public void recordTrustPolicy(String roleName, String document) {
        }

        @Override
        public Optional<String> boundary(PrincipalRef ref) {
            return Optional.empty();
        }

        @Override
        public void recordBoundary(PrincipalRef ref, String policyArn) {
        }
    };

    /** For one process (a CLI run). */
    static SnapshotStore inMemory() {
        java.util.Map<String, String> m = new java.util.concurrent.ConcurrentHashMap<>();
        return new SnapshotStore() {
            @Override
            public Optional<String> cleanDefaultVersion(String policyArn) {
                return Optional.ofNullable(m.get("version#" + policyArn));
            }

            @Override
            public void recordCleanDefaultVersion(String policyArn, String versionId) {
                m.put("version#" + policyArn, versionId);
            }

            @Override
            public Optional<String> trustPolicy(String roleName) {
                return Optional.ofNullable(m.get("trust#" + roleName));
            }

            @Override
            public void recordTrustPolicy(String roleName, String document) {
                m.put("trust#" + roleName, document);
            }

            @Override
            public Optional<String> boundary(PrincipalRef ref) {
                return Optional.ofNullable(m.get("boundary#" + ref));
            }

            @Override
            public void recordBoundary(PrincipalRef ref, String policyArn) {
                m.put("boundary#" + ref, policyArn);
            }
        };
    }
}
