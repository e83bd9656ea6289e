package io.iamguardrail.pipeline;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.state.ManagedPolicy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed managed policy versions, least recently used dropped first. A managed policy version never changes once
 * created, so its parse can be reused by every event of a warm container: AWS managed policies such as
 * ReadOnlyAccess are 100-200 KB and dominated the per-event time before this cache.
 *
 * <p>AWS managed versions are the same in every account, so their parses are shared by every evaluator of the
 * process: the one SnapStart priming ran on the bundled samples hands its parses, and the engine's catalogue matches
 * keyed by them, to the evaluator of real events. Customer managed versions stay with the evaluator that read them.
 */
final class ParsedManagedPolicies {

    static final int CAPACITY = 256;

    private static final ParsedManagedPolicies AWS_MANAGED = new ParsedManagedPolicies();

    private final Map<String, ParseResult> parsed = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ParseResult> eldest) {
            return size() > CAPACITY;
        }
    };

    ParseResult of(ManagedPolicy policy) {
        return this != AWS_MANAGED && ManagedPolicySnapshot.isAwsManaged(policy.arn()) ? AWS_MANAGED.of(policy)
                : parse(policy);
    }

    private synchronized ParseResult parse(ManagedPolicy policy) {
        String key = policy.arn() + " " + policy.versionId();
        ParseResult r = parsed.get(key);
        if (r == null) {
            r = PolicyParser.parse(policy.document(), PolicyKind.IDENTITY);
            parsed.put(key, r);
        }
        return r;
    }

    synchronized int size() {
        return parsed.size();
    }
}
