package io.iamguardrail.pipeline;

import io.iamguardrail.config.Severity;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import io.iamguardrail.engine.WatchFacts;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one event's evaluation found: findings, notes, new access and the facts for the rules about the change. */
final class Evidence {

    final List<Finding> findings = new ArrayList<>();
    final List<Report.Suppressed> suppressed = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final List<String> newAccess = new ArrayList<>();
    Optional<String> target = Optional.empty();
    /** The changed principal's ARN as IAM has it (path included), once read. */
    Optional<String> liveArn = Optional.empty();
    Optional<String> privilegedGroup = Optional.empty();
    WatchFacts watch = WatchFacts.NONE;

    /** The verdict: an alert when a distinct finding is at or above the threshold. */
    Decision decide(CloudTrailEvent e, Severity threshold) {
        List<Finding> distinct = distinct(findings);
        boolean alert = distinct.stream().anyMatch(f -> f.severity().atLeast(threshold));
        Optional<Severity> worst = distinct.stream().map(Finding::severity).min(Enum::compareTo);
        String reason = alert ? "findings at or above " + threshold + " (worst: " + worst.get() + ")"
                : distinct.isEmpty() ? "no finding" : "no finding at or above " + threshold + " (worst: " + worst.get() + ")";
        return new Decision(e.eventId(), e.eventName(), alert ? Verdict.ALERT : Verdict.NO_ALERT, reason, target,
                distinct, newAccess, notes, Optional.of(e));
    }

    /** The findings added since {@code mark}, one severity lower, with why. */
    void lowerSince(int mark, String why) {
        List<Finding> added = new ArrayList<>(findings.subList(mark, findings.size()));
        findings.subList(mark, findings.size()).clear();
        for (Finding f : added) {
            findings.add(new Finding(f.ruleId(), f.key(), f.severity().lower(), f.title(), f.message() + " (" + why + ")",
                    f.remediation(), f.source(), f.principal(), f.location(), Optional.of(why), f.related()));
        }
    }

    /** The same finding reached twice for the same principal is kept once; each principal keeps its own. */
    private static List<Finding> distinct(List<Finding> findings) {
        Map<String, Finding> out = new LinkedHashMap<>();
        for (Finding f : findings) {
            out.putIfAbsent(f.key() + "|" + f.source() + "|" + f.location().pointer() + "|" + f.message() + "|"
                    + f.principal().orElse(""), f);
        }
        return new ArrayList<>(out.values());
    }
}
