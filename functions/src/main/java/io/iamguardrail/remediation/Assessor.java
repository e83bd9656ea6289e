package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.List;

/**
 * Judges a principal the way the evaluator does, as IAM has it now or with the state a remediation is about to
 * write: a remediation never writes what would alert, and DONE means the principal no longer alerts.
 */
public interface Assessor {

    /** What to judge in place of the live state. */
    sealed interface Candidate permits AsIs, Trust, DefaultVersion, PermissionsOnly {
    }

    /** The principal as IAM has it now. */
    record AsIs() implements Candidate {
    }

    /** The role with this trust policy in place of its own. */
    record Trust(String document) implements Candidate {
    }

    /** The principal with this version as the default version of the managed policy. */
    record DefaultVersion(String policyArn, String versionId) implements Candidate {
    }

    /**
     * What the principal may do, its trust left out: a quarantined role can still be assumed, and its sessions are
     * then denied everything.
     */
    record PermissionsOnly() implements Candidate {
    }

    /**
     * The findings at or above the alert threshold, one line each ({@code RULE_ID (SEVERITY): message}); empty when
     * the principal would not alert.
     *
     * @throws IllegalStateException when the principal cannot be read: nothing is then written on its strength
     */
    List<String> risks(PrincipalRef ref, Candidate candidate);

    /** The roles, users and groups a managed policy is attached to, at most {@code limit}. */
    List<PrincipalRef> attachedTo(String policyArn, int limit);
}
