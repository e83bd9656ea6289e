package io.iamguardrail.remediation;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.change.IamChange.AccessKeyStatusSet;
import io.iamguardrail.change.IamChange.BoundaryDeleted;
import io.iamguardrail.change.IamChange.BoundaryPut;
import io.iamguardrail.change.IamChange.CredentialIssued;
import io.iamguardrail.change.IamChange.DefaultVersionSet;
import io.iamguardrail.change.IamChange.GroupMembership;
import io.iamguardrail.change.IamChange.InlinePolicyPut;
import io.iamguardrail.change.IamChange.PolicyAttached;
import io.iamguardrail.change.IamChange.PolicyCreated;
import io.iamguardrail.change.IamChange.PolicyVersionCreated;
import io.iamguardrail.change.IamChange.RoleCreated;
import io.iamguardrail.change.IamChange.TrustUpdated;
import io.iamguardrail.change.IamChange;
import io.iamguardrail.state.PrincipalRef;

import java.util.Optional;

/**
 * What remediation does with each kind of change (decoded once into an {@link IamChange}): the action that undoes it,
 * and whether a clean one sets a last-known-good state. A value the event lacks ({@code ?}) is never acted on.
 */
final class Undo {

    /** What a clean change of this kind records as last known good. */
    enum Snapshot { PRINCIPAL, POLICY_VERSION, NONE }

    /** How a change is undone: by an exact inverse, by nothing (not in effect), or by a quarantine (no inverse). */
    sealed interface Way {
        record Inverse(RemediationAction action) implements Way {
        }

        /** Nothing in effect to undo, or the event lacks what the inverse needs. */
        record Nothing() implements Way {
        }

        /** A new role has no earlier trust to go back to, and other changes have no inverse: quarantine. */
        record QuarantineInstead() implements Way {
        }
    }

    private Undo() {
    }

    static Way of(IamChange change) {
        if (change instanceof PolicyAttached c) {
            return inverse(named(c.to()).flatMap(p -> known(c.policyArn()).map(arn -> new DetachPolicy(p, arn))));
        }
        if (change instanceof InlinePolicyPut c) {
            return inverse(named(c.to()).flatMap(p -> known(c.policyName()).map(n -> new DeleteInlinePolicy(p, n))));
        }
        if (change instanceof PolicyVersionCreated c) {
            // Not made default: not in effect, nothing to undo.
            return c.setAsDefault() ? inverse(known(c.policyArn()).flatMap(arn -> c.versionId()
                    .map(v -> new RestoreDefaultVersion(arn, v, Optional.empty())))) : new Way.Nothing();
        }
        if (change instanceof DefaultVersionSet c) {
            return inverse(known(c.policyArn()).flatMap(arn -> known(c.versionId())
                    .map(v -> new RestoreDefaultVersion(arn, v, Optional.empty()))));
        }
        if (change instanceof TrustUpdated c) {
            return inverse(named(c.to()).map(r -> new RestoreTrustPolicy(r.name())));
        }
        if (change instanceof CredentialIssued c && c.call() == EventKind.CreateAccessKey) {
            return inverse(c.owner().flatMap(u -> c.credentialId().map(k -> new DeactivateAccessKey(u, k))));
        }
        if (change instanceof AccessKeyStatusSet c) {
            return c.activated() ? inverse(c.owner().flatMap(u -> known(c.accessKeyId())
                    .map(k -> new DeactivateAccessKey(u, k)))) : new Way.Nothing();
        }
        if (change instanceof GroupMembership c && !c.removed()) {
            return inverse(known(c.user()).flatMap(u -> known(c.group()).map(g -> new RemoveFromGroup(u, g))));
        }
        if (change instanceof BoundaryDeleted c) {
            return inverse(named(c.to()).map(RestoreBoundary::new));
        }
        return new Way.QuarantineInstead();
    }

    static Snapshot snapshot(IamChange change) {
        if (change instanceof PolicyCreated || change instanceof PolicyVersionCreated || change instanceof DefaultVersionSet) {
            return Snapshot.POLICY_VERSION;
        }
        boolean principal = change instanceof RoleCreated || change instanceof TrustUpdated || change instanceof BoundaryPut
                || change instanceof CredentialIssued c && c.call() == EventKind.CreateUser;
        return principal ? Snapshot.PRINCIPAL : Snapshot.NONE;
    }

    /** The principal the change touched, when the event names it. */
    static Optional<PrincipalRef> principal(IamChange change) {
        return change.principal().flatMap(Undo::named);
    }

    private static Way inverse(Optional<? extends RemediationAction> action) {
        return action.<Way>map(Way.Inverse::new).orElseGet(Way.Nothing::new);
    }

    private static Optional<PrincipalRef> named(PrincipalRef ref) {
        return known(ref.name()).map(n -> ref);
    }

    private static Optional<String> known(String value) {
        return Optional.of(value).filter(v -> !v.equals("?"));
    }
}
