package io.iamguardrail.state;

import io.iamguardrail.catalog.ManagedPolicySnapshot;

import java.util.List;
import java.util.Optional;

/**
 * No AWS at all: AWS managed policies come from the bundled snapshot; everything else is unknown, and says so.
 * Used by {@code replay} by default.
 */
public final class OfflineState implements IamState {

    static final String OFFLINE = "offline: the live state is not read (use --live)";

    private final ManagedPolicySnapshot snapshot;

    public OfflineState(ManagedPolicySnapshot snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public PrincipalState principal(PrincipalRef ref) throws LookupFailed {
        throw new LookupFailed(OFFLINE);
    }

    @Override
    public ManagedPolicy managedPolicy(String arn, Optional<String> versionId) throws LookupFailed {
        Optional<ManagedPolicySnapshot.Entry> entry = snapshot.find(arn);
        if (entry.isEmpty()) {
            throw new LookupFailed(ManagedPolicySnapshot.isAwsManaged(arn)
                    ? "`" + arn + "` is not in the bundled snapshot of AWS managed policies"
                    : "customer-managed policy; " + OFFLINE);
        }
        if (versionId.isPresent() && !versionId.get().equals(entry.get().versionId())) {
            throw new LookupFailed("the snapshot holds " + entry.get().versionId() + " of `" + arn + "`, not "
                    + versionId.get() + "; " + OFFLINE);
        }
        return new ManagedPolicy(entry.get().arn(), entry.get().versionId(), entry.get().document());
    }

    @Override
    public List<String> policyVersions(String arn) throws LookupFailed {
        throw new LookupFailed(OFFLINE);
    }

    @Override
    public List<PrincipalRef> entitiesForPolicy(String arn, int limit) throws LookupFailed {
        throw new LookupFailed(OFFLINE);
    }

    @Override
    public boolean live() {
        return false;
    }
}
