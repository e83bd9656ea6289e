package io.iamguardrail.audit.organization;

import io.iamguardrail.audit.AuditReport;
import io.iamguardrail.audit.PreviousReport;
import io.iamguardrail.organization.MemberAccount;

import java.util.Optional;

/**
 * The audit of one member account, read through that account's member role (the hub's STS session in it, or the
 * caller's from the CLI). Throws when the account cannot be read: the role cannot be assumed, IAM refuses, or
 * throttling outlasts the retries.
 */
@FunctionalInterface
public interface MemberAudits {

    /** {@code date}: the organization audit's date, which the member's CloudTrail sees in the role session name. */
    AuditReport audit(MemberAccount account, String date, Optional<PreviousReport> previous);
}
