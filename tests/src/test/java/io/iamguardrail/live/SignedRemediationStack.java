package io.iamguardrail.live;

/**
 * What a REMEDIATE-mode guardrail keeps in moto for the integrity tests: a versioned backup bucket, the state table,
 * the guardrail's KMS HMAC key, a key of an attacker's own in the same account, and the quarantine policy.
 */
record SignedRemediationStack(String bucket, String table, String macKey, String attackerKey, String quarantineArn) {

    static final String ADMIN = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
            + "\"Resource\":\"*\"}]}";
    static final String DENY_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\","
            + "\"Resource\":\"*\"}]}";

    static SignedRemediationStack create(MotoServer moto, String bucket, String table) {
        moto.s3().createBucket(b -> b.bucket(bucket));
        moto.s3().putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
        moto.createStateTable(table);
        String quarantine = moto.iam().createPolicy(b -> b.policyName("iam-guardrail-quarantine").policyDocument(DENY_ALL))
                .policy().arn();
        return new SignedRemediationStack(bucket, table, moto.createMacKey(), moto.createMacKey(), quarantine);
    }
}
