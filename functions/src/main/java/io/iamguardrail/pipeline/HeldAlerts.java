package io.iamguardrail.pipeline;

import io.iamguardrail.config.Severity;
import io.iamguardrail.change.ChangeDecoder;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.FindingJson;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.remediation.RemediationReport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The alerts of one batch, held until its end so that a principal changed by several events of the batch (an apply's
 * {@code PutRolePolicy} and {@code AttachRolePolicy} of one role) gets one alert naming every one of them. Only alerts
 * whose remediation wrote nothing are held: an action taken on the account keeps its own alert and undo.
 */
final class HeldAlerts {

    /**
     * One event whose alert waits for the end of the batch: claimed in the ledger under {@code ledgerKey} by
     * {@code holder}, judged ({@code lookups}: the IAM reads it took), its remediation planned or refused.
     */
    record Held(Decision decision, CloudTrailEvent event, String ledgerKey, EventLedger.Holder holder,
                RemediationReport remediation, long lookups) {
    }

    /** The held events of one principal, in the order the batch brought them. */
    record Group(String principal, List<Held> events) {

        Group {
            events = List.copyOf(events);
        }

        /** The event the alert is about first: the one with the worst finding, the earliest of those. */
        Held primary() {
            return events.stream().min(Comparator.comparing(Group::worst)).orElseThrow();
        }

        /** The other events, in the batch's order. */
        List<Held> others() {
            Held primary = primary();
            return events.stream().filter(h -> h != primary).toList();
        }

        /**
         * The primary's decision with every finding, new access and note of the others, each finding once: the state
         * read is the principal's after all of the batch's changes, so most findings repeat from event to event.
         */
        Decision merged() {
            Held primary = primary();
            Map<String, Finding> findings = new LinkedHashMap<>();
            Set<String> newAccess = new LinkedHashSet<>();
            Set<String> notes = new LinkedHashSet<>();
            for (Held h : ordered()) {
                h.decision().findings().forEach(f -> findings.putIfAbsent(FindingJson.fingerprint(f), f));
                newAccess.addAll(h.decision().newAccess());
                notes.addAll(h.decision().notes());
            }
            Decision d = primary.decision();
            // One event keeps its own target (the policy it changed); several are about the principal.
            Optional<String> target = events.size() == 1 ? d.target() : Optional.of(principal);
            return new Decision(d.eventId(), d.eventName(), Verdict.ALERT, d.reason(), target,
                    List.copyOf(findings.values()), List.copyOf(newAccess), List.copyOf(notes), d.event());
        }

        /**
         * One report for the alert: the primary's, or when the others planned more, the first plan with every
         * planned action of the group once, so that ALERT mode still says all that REMEDIATE mode would do.
         */
        RemediationReport remediation() {
            List<Held> ordered = ordered();
            RemediationReport base = ordered.stream().map(Held::remediation).filter(r -> !r.actions().isEmpty())
                    .findFirst().orElse(ordered.get(0).remediation());
            Map<String, RemediationReport.ActionReport> actions = new LinkedHashMap<>();
            Set<String> undo = new LinkedHashSet<>();
            for (Held h : ordered) {
                h.remediation().actions().forEach(a -> actions.putIfAbsent(a.action() + " " + a.target(), a));
                undo.addAll(h.remediation().undoAws());
            }
            int more = actions.size() - base.actions().size();
            if (more == 0) {
                return base;
            }
            return new RemediationReport(base.mode(), base.status(), base.summary() + " (and " + more
                    + " more action" + (more == 1 ? "" : "s") + " for the other events, listed)",
                    List.copyOf(actions.values()), base.backupId(), base.undoCommand(), List.copyOf(undo), base.reason());
        }

        private List<Held> ordered() {
            List<Held> ordered = new ArrayList<>();
            ordered.add(primary());
            ordered.addAll(others());
            return ordered;
        }

        private static Severity worst(Held h) {
            return h.decision().findings().stream().map(Finding::severity).min(Comparator.naturalOrder())
                    .orElse(Severity.INFO);
        }
    }

    private final Map<String, List<Held>> byPrincipal = new LinkedHashMap<>();
    private final Set<String> keys = new HashSet<>();
    /** How many of the batch's events of each principal are still to be judged. */
    private final Map<String, Integer> toCome = new HashMap<>();

    /** The batch's events, before the first is judged. */
    void expect(List<EventDecoder.Decoded> events) {
        toCome.clear();
        events.forEach(d -> d.event().flatMap(HeldAlerts::keyOf).ifPresent(k -> toCome.merge(k, 1, Integer::sum)));
    }

    /** An event of the batch is judged: the key of its principal when it was the batch's last event of it. */
    Optional<String> judged(CloudTrailEvent event) {
        Optional<String> key = keyOf(event);
        if (key.isEmpty() || toCome.computeIfPresent(key.get(), (k, n) -> n - 1) == null || toCome.get(key.get()) > 0) {
            return Optional.empty();
        }
        toCome.remove(key.get());
        return key;
    }

    /** Whether this batch already holds the event of {@code ledgerKey}: a duplicate delivery within the batch. */
    boolean holds(String ledgerKey) {
        return keys.contains(ledgerKey);
    }

    /**
     * The principal an event changes ({@code role app}, whichever policy of it changed), with its account: the key
     * its alert is held under. Empty for an event that changes no principal (a managed policy's version): its alert
     * goes out at once.
     */
    static Optional<String> keyOf(CloudTrailEvent event) {
        return ChangeDecoder.decode(event).principal().map(p -> event.account().orElse("") + "\n" + p);
    }

    /** Holds an alert of a decision whose event changes a principal ({@link #keyOf}). */
    void hold(Held held) {
        byPrincipal.computeIfAbsent(keyOf(held.event()).orElseThrow(), k -> new ArrayList<>()).add(held);
        keys.add(held.ledgerKey());
    }

    /**
     * One alert per principal for the events held in the batch. When it cannot be published, every event of the
     * principal gives its claim back and is named for delivery again; the other principals' alerts go on.
     */
    BatchEnd publish(AlertPublisher publisher, EventLedger ledger, AlertedFindings alerted, DecisionLog log,
                     Optional<String> accountName) {
        return publish(drain(), publisher, ledger, alerted, log, accountName);
    }

    /** As {@link #publish(AlertPublisher, EventLedger, AlertedFindings, DecisionLog, Optional)}, for one principal. */
    BatchEnd publish(String key, AlertPublisher publisher, EventLedger ledger, AlertedFindings alerted, DecisionLog log,
                     Optional<String> accountName) {
        List<Held> events = byPrincipal.remove(key);
        if (events == null) {
            return BatchEnd.NONE;
        }
        events.forEach(h -> keys.remove(h.ledgerKey()));
        return publish(List.of(group(key, events)), publisher, ledger, alerted, log, accountName);
    }

    private static BatchEnd publish(List<Group> groups, AlertPublisher publisher, EventLedger ledger,
                                    AlertedFindings alerted, DecisionLog log, Optional<String> accountName) {
        List<GuardrailService.Outcome> outcomes = new ArrayList<>();
        List<BatchEnd.Unpublished> unpublished = new ArrayList<>();
        for (Group group : groups) {
            Held primary = group.primary();
            List<Held> others = group.others();
            Alert alert = AlertBuilder.build(group.merged(), group.remediation(), accountName,
                    others.stream().map(Held::event).toList());
            String id;
            try {
                id = publisher.publish(alert);
            } catch (RuntimeException e) {
                String why = "alert not published (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "): its claim given back, delivered again";
                for (Held h : group.events()) {
                    Decision d = GuardrailService.withNote(h.decision(), why);
                    try {
                        ledger.release(h.ledgerKey(), h.holder());
                    } catch (RuntimeException releaseFailed) {
                        d = GuardrailService.withNote(d, "claim not given back (" + releaseFailed.getClass().getSimpleName()
                                + "): the redelivery waits for the lease to end");
                    }
                    unpublished.add(new BatchEnd.Unpublished(h.event().eventId(), why));
                    log.record(d, h.holder().requestId(), h.lookups(), Optional.of(h.remediation()));
                }
                continue;
            }
            for (Held h : group.events()) {
                Decision d = others.isEmpty() ? h.decision() : GuardrailService.withNote(h.decision(), "alerted in message "
                        + id + " with " + (group.events().size() - 1) + " other event(s) of " + group.principal()
                        + " in this batch");
                try {
                    ledger.complete(h.ledgerKey());
                } catch (RuntimeException e) {
                    d = GuardrailService.withNote(d, "published, but not marked done (" + e.getClass().getSimpleName()
                            + "): a redelivery after the lease may publish again");
                }
                try {
                    alerted.record(d);
                } catch (RuntimeException e) {
                    d = GuardrailService.withNote(d, "alerted findings not recorded for the audit (" + e.getClass().getSimpleName()
                            + ": " + e.getMessage() + ")");
                }
                log.record(d, h.holder().requestId(), h.lookups(), Optional.of(h.remediation()));
                outcomes.add(new GuardrailService.Outcome(d, h == primary ? Optional.of(alert) : Optional.empty(),
                        Optional.ofNullable(id), Optional.of(h.remediation()), Optional.empty()));
            }
        }
        return new BatchEnd(outcomes, unpublished);
    }

    private static Group group(String key, List<Held> events) {
        return new Group(key.substring(key.indexOf('\n') + 1), events);
    }

    /** The groups held, one per principal in the order their first event came; the holder is empty afterwards. */
    List<Group> drain() {
        List<Group> groups = new ArrayList<>();
        byPrincipal.forEach((key, events) -> groups.add(group(key, events)));
        byPrincipal.clear();
        keys.clear();
        toCome.clear();
        return groups;
    }
}
