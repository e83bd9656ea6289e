package io.iamguardrail.pipeline;

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
 */
final class ParsedManagedPolicies {

    static final int CAPACITY = 256;

    private final Map<String, ParseResult> parsed = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ParseResult> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized ParseResult of(ManagedPolicy policy) {
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
