package io.iamguardrail.notify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alert: the one document the evaluator builds and publishes as the {@code default} of the SNS message (schema
 * {@link AlertJson#SCHEMA}), and that e-mail, Slack and the CLI render. Its JSON form, written and read, is defined
 * once, in {@link AlertJson}; reading is tolerant like the event decoder (a missing field is empty, never an error).
 *
 * @param verdict     the evaluator's verdict; empty in a document that does not carry one
 * @param otherEvents the other events of one batch that changed the same principal, which this alert reports with
 *                    {@code event}: one alert per principal, each event still named
 */
public record AlertDocument(String summary, String severity, Optional<String> verdict, Event event, Actor actor,
                            Optional<String> target, List<Finding> findings, Map<String, Long> findingsNotShown,
                            List<String> newAccess, List<String> notes, Remediation remediation,
                            List<OtherEvent> otherEvents) {

    /** The alert of one event. */
    public AlertDocument(String summary, String severity, Optional<String> verdict, Event event, Actor actor,
                         Optional<String> target, List<Finding> findings, Map<String, Long> findingsNotShown,
                         List<String> newAccess, List<String> notes, Remediation remediation) {
        this(summary, severity, verdict, event, actor, target, findings, findingsNotShown, newAccess, notes,
                remediation, List.of());
    }

    public AlertDocument {
        otherEvents = List.copyOf(otherEvents);
        findings = List.copyOf(findings);
        // In the order given: the renderers list the counts as the builder ranked them.
        findingsNotShown = Collections.unmodifiableMap(new LinkedHashMap<>(findingsNotShown));
        newAccess = List.copyOf(newAccess);
        notes = List.copyOf(notes);
    }

    /**
     * {@code detail.eventID}, name, time and account of the CloudTrail event.
     *
     * @param accountName the organization's name of the account: only a hub, which guards several, names it
     */
    public record Event(String id, String name, Optional<String> time, Optional<String> account,
                        Optional<String> accountName) {

        public Event(String id, String name, Optional<String> time, Optional<String> account) {
            this(id, name, time, account, Optional.empty());
        }

        /** {@code 111122223333 (workloads-a)} when the name is known, else the id alone. */
        public Optional<String> accountShown() {
            return account.map(id -> accountName.filter(n -> !n.equals(id)).map(n -> id + " (" + n + ")").orElse(id));
        }
    }

    /** Another event the alert reports: its {@code detail.eventID}, name, time, and who made it ({@link Actor#display()}). */
    public record OtherEvent(String id, String name, Optional<String> time, String actor) {
    }

    /** Who made the call. */
    public record Actor(String type, Optional<String> arn, Optional<String> sessionIssuer, Optional<String> sourceIp,
                        Optional<String> userAgent, boolean mfa) {

        /**
         * A short name for people, as the evaluator's summary uses it: {@code root}, the user name, or for an
         * assumed role the session name with the role ({@code alice@example.com (AWSReservedSSO_Admin_0123)}).
         */
        public String display() {
            if ("Root".equals(type)) {
                return "root";
            }
            if (arn.isEmpty()) {
                return type;
            }
            String a = arn.get();
            int assumed = a.indexOf(":assumed-role/");
            if (assumed >= 0) {
                String[] parts = a.substring(assumed + 14).split("/", 2);
                return parts.length == 2 ? parts[1] + " (" + parts[0] + ")" : parts[0];
            }
            int user = a.indexOf(":user/");
            return user >= 0 ? a.substring(a.lastIndexOf('/') + 1) : a;
        }
    }

    /**
     * One finding as the alert lists it, in the shape {@code check} and {@code replay} print findings.
     *
     * @param source   the document the finding is about (policy name, trust policy, ...)
     * @param location where in that document; empty in a document that does not carry it
     */
    public record Finding(String ruleId, String severity, String title, String message, Optional<String> source,
                          Optional<String> principal, Optional<Location> location, String remediation,
                          Optional<String> severityLoweredBecause, List<Related> related,
                          Optional<String> fingerprint) {
        public Finding {
            related = List.copyOf(related);
        }
    }

    /** A JSON pointer with its line and column in the source document. */
    public record Location(String pointer, long line, long column) {
    }

    /** Another statement the finding depends on, in its own source. */
    public record Related(String source, Location location) {
    }

    /** The alert's severity, {@code INFO} when it is missing or unknown. */
    public Severity level() {
        return Severity.of(severity);
    }

    /** The document as the {@code default} of the SNS message. */
    public String toJson() {
        return AlertJson.write(this);
    }

    /** Reads the {@code default} document; the error says what was expected and what was found. */
    public static AlertDocument parse(String json) {
        return AlertJson.read(json);
    }
}
