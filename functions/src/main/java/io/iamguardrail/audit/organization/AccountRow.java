package io.iamguardrail.audit.organization;

import io.iamguardrail.config.Severity;
import io.iamguardrail.organization.MemberAccount;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One account's line in the organization report: audited (its counts and what changed since its previous report),
 * failed (the reason its audit gave), or missing (no report at all: the invocation failed or timed out).
 *
 * @param newFindings      the first {@link #CHANGES_KEPT} new findings; {@code newCount} counts them all
 * @param resolvedFindings the first {@link #CHANGES_KEPT} resolved findings; {@code resolvedCount} counts them all
 */
public record AccountRow(MemberAccount account, Status status, Optional<String> reason, Map<Severity, Integer> bySeverity,
                         int principalsScanned, int findings, int newCount, int resolvedCount,
                         List<Change> newFindings, List<Change> resolvedFindings, Optional<String> generatedAt) {

    /** New and resolved findings kept per account: the per-account report has them all. */
    public static final int CHANGES_KEPT = 20;

    /** What the roll-up learned of the account. */
    public enum Status { AUDITED, FAILED, MISSING }

    /** A finding that appeared or went away since the account's previous report. */
    public record Change(String principal, String ruleId, String severity, String message) {
    }

    public static final String NO_REPORT = "no report: the invocation failed or timed out";

    public AccountRow {
        EnumMap<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, bySeverity.getOrDefault(s, 0));
        }
        bySeverity = counts;
        newFindings = List.copyOf(newFindings.subList(0, Math.min(CHANGES_KEPT, newFindings.size())));
        resolvedFindings = List.copyOf(resolvedFindings.subList(0, Math.min(CHANGES_KEPT, resolvedFindings.size())));
    }

    /** An account whose audit failed, with the reason it gave. */
    public static AccountRow failed(MemberAccount account, String reason, Optional<String> at) {
        return new AccountRow(account, Status.FAILED, Optional.of(reason), Map.of(), 0, 0, 0, 0, List.of(), List.of(), at);
    }

    /** An account expected in the roll-up for which no file was written. */
    public static AccountRow missing(MemberAccount account) {
        return new AccountRow(account, Status.MISSING, Optional.of(NO_REPORT), Map.of(), 0, 0, 0, 0, List.of(), List.of(),
                Optional.empty());
    }

    /** True when the account has a finding at or above {@code threshold}. */
    public boolean hasAtLeast(Severity threshold) {
        return bySeverity.entrySet().stream().anyMatch(e -> e.getValue() > 0 && e.getKey().atLeast(threshold));
    }

    /** True when the account's state is not known: its audit failed or left no report. */
    public boolean unverified() {
        return status != Status.AUDITED;
    }
}
