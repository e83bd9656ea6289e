package io.iamguardrail.state;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The port through which the evaluator reads IAM. Implementations: live (SDK v2) and offline (event + snapshot). */
public interface IamState {

    PrincipalState principal(PrincipalRef ref) throws LookupFailed;

    /**
     * Several principals read together, when that costs IAM fewer requests than reading each (a deployment's batch);
     * those not in the answer are read one by one ({@link #principal}). By default none are read together.
     */
    default Map<PrincipalRef, PrincipalState> principals(Set<PrincipalRef> wanted) throws LookupFailed {
        return Map.of();
    }

    /** A version of a managed policy; the default version when {@code versionId} is empty. */
    ManagedPolicy managedPolicy(String arn, Optional<String> versionId) throws LookupFailed;

    /** The version ids of a managed policy, newest first. */
    List<String> policyVersions(String arn) throws LookupFailed;

    /** Roles, users and groups the managed policy is attached to, at most {@code limit}. */
    List<PrincipalRef> entitiesForPolicy(String arn, int limit) throws LookupFailed;

    /** The users of a group, at most {@code limit} (ask for one more to tell whether there are more). */
    default List<String> groupMembers(String group, int limit) throws LookupFailed {
        throw new LookupFailed("the members of group " + group + " cannot be listed here");
    }

    /** Whether lookups reach AWS (false: the offline snapshot only). */
    boolean live();
}
