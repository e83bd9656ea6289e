package io.iamguardrail.policy;

/** What a document is for: it decides which rules apply and which elements are required. */
public enum PolicyKind {
    /** Attached to a user, group or role (or a permissions boundary): no Principal, Resource required. */
    IDENTITY,
    /** A role's assume-role policy: Principal required, no Resource. */
    TRUST,
    /** Any other resource-based policy (bucket, key, queue...): Principal and Resource. */
    RESOURCE;

    /** A trust policy has a Principal and an {@code sts:AssumeRole*} action; another document with a Principal is resource-based. */
    public static PolicyKind detect(PolicyDocument doc) {
        if (doc.looksLikeTrustPolicy()) {
            return TRUST;
        }
        return doc.hasPrincipals() ? RESOURCE : IDENTITY;
    }
}
