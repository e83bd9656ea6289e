package io.iamguardrail.pipeline;

import io.iamguardrail.state.IamState;
import io.iamguardrail.state.LookupFailed;
import io.iamguardrail.state.ManagedPolicy;
import io.iamguardrail.state.PrincipalRef;
import io.iamguardrail.state.PrincipalState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory IAM for the evaluator's unit tests (the moto integration tests exercise the real adapter). */
final class FakeIamState implements IamState {

    final Map<PrincipalRef, PrincipalState> principals = new HashMap<>();
    final Map<String, LinkedHashMap<String, String>> policies = new HashMap<>(); // arn -> version -> doc (newest last)
    final Map<String, String> defaults = new HashMap<>();
    final Map<String, List<PrincipalRef>> attachments = new HashMap<>();
    int lookups;

    FakeIamState role(String name, String trust, Map<String, String> inline, List<String> attached) {
        PrincipalRef ref = new PrincipalRef(PrincipalRef.Kind.ROLE, name);
        principals.put(ref, new PrincipalState(ref, "arn:aws:iam::123456789012:role/" + name, "/", Optional.of(trust),
                inline, attached, Optional.empty(), List.of()));
        attached.forEach(a -> attachments.computeIfAbsent(a, k -> new ArrayList<>()).add(ref));
        return this;
    }

    FakeIamState user(String name, Map<String, String> inline, List<String> attached, Optional<String> boundary,
                      List<String> groups) {
        PrincipalRef ref = new PrincipalRef(PrincipalRef.Kind.USER, name);
        principals.put(ref, new PrincipalState(ref, "arn:aws:iam::123456789012:user/" + name, "/", Optional.empty(),
                inline, attached, boundary, groups));
        attached.forEach(a -> attachments.computeIfAbsent(a, k -> new ArrayList<>()).add(ref));
        return this;
    }

    FakeIamState group(String name, Map<String, String> inline, List<String> attached) {
        PrincipalRef ref = new PrincipalRef(PrincipalRef.Kind.GROUP, name);
        principals.put(ref, new PrincipalState(ref, "arn:aws:iam::123456789012:group/" + name, "/", Optional.empty(),
                inline, attached, Optional.empty(), List.of()));
        return this;
    }

    FakeIamState policy(String arn, String version, String document, boolean isDefault) {
        policies.computeIfAbsent(arn, k -> new LinkedHashMap<>()).put(version, document);
        if (isDefault) {
            defaults.put(arn, version);
        }
        return this;
    }

    @Override
    public PrincipalState principal(PrincipalRef ref) throws LookupFailed {
        lookups++;
        PrincipalState s = principals.get(ref);
        if (s == null) {
            throw new LookupFailed(ref + " not found (deleted, or not yet visible: IAM is eventually consistent)");
        }
        return s;
    }

    @Override
    public ManagedPolicy managedPolicy(String arn, Optional<String> versionId) throws LookupFailed {
        lookups++;
        Map<String, String> versions = policies.get(arn);
        String version = versionId.orElse(defaults.get(arn));
        if (versions == null || version == null || !versions.containsKey(version)) {
            throw new LookupFailed("policy " + arn + " not found");
        }
        return new ManagedPolicy(arn, version, versions.get(version));
    }

    @Override
    public List<String> policyVersions(String arn) throws LookupFailed {
        lookups++;
        if (!policies.containsKey(arn)) {
            throw new LookupFailed("policy " + arn + " not found");
        }
        List<String> out = new ArrayList<>(policies.get(arn).keySet());
        java.util.Collections.reverse(out);
        return out;
    }

    @Override
    public List<PrincipalRef> entitiesForPolicy(String arn, int limit) {
        lookups++;
        List<PrincipalRef> all = attachments.getOrDefault(arn, List.of());
        return all.subList(0, Math.min(limit, all.size()));
    }

    @Override
    public List<String> groupMembers(String group, int limit) throws LookupFailed {
        lookups++;
        if (!principals.containsKey(new PrincipalRef(PrincipalRef.Kind.GROUP, group))) {
            throw new LookupFailed("group " + group + " not found");
        }
        return principals.values().stream().filter(p -> p.groups().contains(group)).map(p -> p.ref().name()).sorted()
                .limit(limit).toList();
    }

    @Override
    public boolean live() {
        return true;
    }
}
