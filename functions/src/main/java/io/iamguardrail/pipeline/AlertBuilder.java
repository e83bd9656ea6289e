package io.iamguardrail.pipeline;

import io.iamguardrail.config.Severity;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.FindingJson;
import io.iamguardrail.event.Actor;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.notify.AlertAttributes;
import io.iamguardrail.notify.AlertDocument;
import io.iamguardrail.notify.Remediation;
import io.iamguardrail.remediation.RemediationReport;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Turns a decision into the alert a person reads in ten seconds and a machine can filter on. */
public final class AlertBuilder {

    static final int MAX_SUBJECT = 99;
    /**
     * Findings listed in one alert. SNS takes at most 256 KB per message, JSON and e-mail together, and a padded
     * policy can yield a thousand findings: the rest are counted by rule, never allowed to make the alert unsendable.
     */
    static final int MAX_FINDINGS = 25;

    private AlertBuilder() {
    }

    public static Alert build(Decision d, RemediationReport remediation) {
        return build(d, remediation, Optional.empty());
    }

    /** With the organization's name of the event's account, which a hub's alerts carry. */
    public static Alert build(Decision d, RemediationReport remediation, Optional<String> accountName) {
        return build(d, remediation, accountName, List.of());
    }

    /**
     * The alert of {@code d}'s event that also reports {@code others}: the other events of one batch that changed
     * the same principal, whose findings {@code d} already holds.
     */
    static Alert build(Decision d, RemediationReport remediation, Optional<String> accountName,
                       List<CloudTrailEvent> others) {
        CloudTrailEvent e = d.event().orElseThrow();
        List<Finding> all = d.findings().stream().sorted(Comparator.comparing(Finding::severity)).toList();
        List<Finding> findings = all.size() > MAX_FINDINGS ? all.subList(0, MAX_FINDINGS) : all;
        Map<String, Long> omitted = all.subList(findings.size(), all.size()).stream()
                .collect(Collectors.groupingBy(Finding::ruleId, LinkedHashMap::new, Collectors.counting()));
        Severity worst = all.isEmpty() ? Severity.INFO : all.get(0).severity();
        String summary = summary(d, e, all, others.size());
        // A remediation that was due and failed needs a person now: it says so first, at the highest severity.
        if (remediation.failed()) {
            worst = Severity.CRITICAL;
            summary = "REMEDIATION " + remediation.status() + ": " + summary;
        }
        // A hub's reader guards many accounts: the subject says which one first.
        String subject = subject("[" + worst + "] " + accountName.map(n -> n + ": ").orElse("") + summary);
        AlertAttributes attributes = new AlertAttributes(worst.name(),
                all.stream().map(Finding::ruleId).distinct().toList(), e.account().orElse("unknown"), e.eventName(),
                accountName);
        // E-mail, Slack and the CLI render this one document, so all carry the same facts.
        List<AlertDocument.OtherEvent> otherEvents = others.stream().map(o -> new AlertDocument.OtherEvent(o.eventId(),
                o.eventName(), o.eventTime(), o.actor().display())).toList();
        return Alert.of(subject, document(d, e, findings, omitted, worst, summary, remediation, accountName,
                otherEvents), attributes);
    }

    /**
     * {@code alice AttachRolePolicy on role deploy: Administrator access (and 2 more)}; with other events of the
     * principal, {@code alice AttachRolePolicy and 4 more changes on role deploy: ...}.
     */
    static String summary(Decision d, CloudTrailEvent e, List<Finding> findings, int otherEvents) {
        String what = findings.isEmpty() ? "no finding" : findings.get(0).title()
                + (findings.size() > 1 ? " (and " + (findings.size() - 1) + " more)" : "");
        String more = otherEvents == 0 ? "" : " and " + otherEvents + " more change" + (otherEvents == 1 ? "" : "s");
        return e.actor().display() + " " + e.eventName() + more + d.target().map(t -> " on " + t).orElse("") + ": "
                + what;
    }

    private static AlertDocument document(Decision d, CloudTrailEvent e, List<Finding> findings,
                                          Map<String, Long> omitted, Severity worst, String summary,
                                          RemediationReport remediation, Optional<String> accountName,
                                          List<AlertDocument.OtherEvent> otherEvents) {
        Actor a = e.actor();
        return new AlertDocument(summary, worst.name(), Optional.of(d.verdict().name()),
                new AlertDocument.Event(e.eventId(), e.eventName(), e.eventTime(), e.account(), accountName),
                new AlertDocument.Actor(a.type(), a.arn(), a.sessionIssuerArn(), a.sourceIp(), a.userAgent(), a.mfa()),
                d.target(), findings.stream().map(AlertBuilder::finding).toList(), omitted, d.newAccess(), d.notes(),
                remediation(remediation), otherEvents);
    }

    private static AlertDocument.Finding finding(Finding f) {
        return new AlertDocument.Finding(f.ruleId(), f.severity().name(), f.title(), f.message(),
                Optional.of(f.source()), f.principal(), Optional.of(location(f.location())), f.remediation(),
                f.lowered(), f.related().stream()
                .map(r -> new AlertDocument.Related(r.source(), location(r.location()))).toList(),
                Optional.of(FindingJson.fingerprint(f)));
    }

    private static AlertDocument.Location location(SourceLocation l) {
        return new AlertDocument.Location(l.pointer(), l.line(), l.column());
    }

    private static Remediation remediation(RemediationReport r) {
        return new Remediation(Optional.empty(), Optional.of(r.mode()), Optional.of(r.status().name()),
                Optional.of(r.summary()), r.actions().stream().map(x -> new Remediation.Action(x.action(),
                Optional.of(x.target()), Optional.of(x.status().name()), Optional.of(x.detail()))).toList(),
                r.backupId(), r.undoCommand(), r.undoAws(), r.reason());
    }

    /** SNS subjects: printable ASCII, under 100 characters; "..." marks a cut. */
    static String subject(String s) {
        StringBuilder ascii = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        String out = ascii.toString();
        return out.length() <= MAX_SUBJECT ? out : out.substring(0, MAX_SUBJECT - 3) + "...";
    }
}
