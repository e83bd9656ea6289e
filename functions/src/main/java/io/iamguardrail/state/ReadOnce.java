package io.iamguardrail.state;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads IAM at most once per batch of events: the second event of a batch that names the same role, user, group or
 * managed policy gets what the first one read. A batch is judged against the state IAM shows when the batch is
 * processed, which already carries every change the batch's events made; between batches everything is read again
 * ({@link #forget()}), so nothing read for one batch outlives it. Failures are not kept: the next read tries again.
 */
public final class ReadOnce implements IamState, BatchReads {

    private final IamState iam;
    private final Map<PrincipalRef, PrincipalState> principals = new ConcurrentHashMap<>();
    private final Map<String, ManagedPolicy> policies = new ConcurrentHashMap<>();
    private final Map<String, List<String>> versions = new ConcurrentHashMap<>();
    private final Map<String, List<PrincipalRef>> entities = new ConcurrentHashMap<>();
    private final Map<String, List<String>> members = new ConcurrentHashMap<>();

    public ReadOnce(IamState iam) {
        this.iam = iam;
    }

    /**
     * Reads the batch's principals together where IAM can ({@link IamState#principals}); those it could not are read
     * one by one when an event asks, and say their own failure then.
     */
    @Override
    public void expect(Set<PrincipalRef> wanted) {
        Set<PrincipalRef> unknown = new HashSet<>(wanted);
        unknown.removeAll(principals.keySet());
        if (unknown.isEmpty()) {
            return;
        }
        try {
            principals.putAll(iam.principals(unknown));
        } catch (LookupFailed | StateUnavailable e) {
            // Nothing is taken as read: each event's own reads follow, and a failure there is reported with it.
            return;
        }
    }

    /** Ends the batch: whatever comes next is read from IAM again. */
    @Override
    public void forget() {
        principals.clear();
        policies.clear();
        versions.clear();
        entities.clear();
        members.clear();
    }

    @Override
    public PrincipalState principal(PrincipalRef ref) throws LookupFailed {
        PrincipalState known = principals.get(ref);
        if (known == null) {
            known = iam.principal(ref);
            principals.put(ref, known);
        }
        return known;
    }

    @Override
    public ManagedPolicy managedPolicy(String arn, Optional<String> versionId) throws LookupFailed {
        String key = arn + "#" + versionId.orElse("");
        ManagedPolicy known = policies.get(key);
        if (known == null) {
            known = iam.managedPolicy(arn, versionId);
            policies.put(key, known);
        }
        return known;
    }

    @Override
    public List<String> policyVersions(String arn) throws LookupFailed {
        List<String> known = versions.get(arn);
        if (known == null) {
            known = List.copyOf(iam.policyVersions(arn));
            versions.put(arn, known);
        }
        return known;
    }

    @Override
    public List<PrincipalRef> entitiesForPolicy(String arn, int limit) throws LookupFailed {
        String key = arn + "#" + limit;
        List<PrincipalRef> known = entities.get(arn + "#" + limit);
        if (known == null) {
            known = List.copyOf(iam.entitiesForPolicy(arn, limit));
            entities.put(key, known);
        }
        return known;
    }

    @Override
    public List<String> groupMembers(String group, int limit) throws LookupFailed {
        String key = group + "#" + limit;
        List<String> known = members.get(key);
        if (known == null) {
            known = List.copyOf(iam.groupMembers(group, limit));
            members.put(key, known);
        }
        return known;
    }

    @Override
    public boolean live() {
        return iam.live();
    }
}
