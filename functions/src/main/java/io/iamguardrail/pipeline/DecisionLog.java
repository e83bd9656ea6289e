package io.iamguardrail.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.remediation.RemediationReport;
import io.iamguardrail.telemetry.FunctionLog;
import io.iamguardrail.telemetry.Invocations;
import io.iamguardrail.telemetry.LogLevel;
import io.iamguardrail.telemetry.MetricLine;
import io.iamguardrail.telemetry.MetricLine.Metric;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One structured JSON line per decision (with its reason) in Powertools Logging's shape ({@link FunctionLog}), then
 * its metrics as embedded-metric-format documents: events by verdict and by event name, IAM lookups, the heartbeat
 * and findings by severity under the verdict, remediations by status, and findings by rule and severity. No policy
 * text and no secrets: rule ids, severities, names and ids only.
 */
public final class DecisionLog {

    static final String NAMESPACE = FunctionLog.NAMESPACE;
    /** The evaluator's {@code service}, in its log lines and as the dimension its metrics share. */
    public static final String SERVICE = "evaluator";
    /** The {@code EventName} dimension of a call the guardrail does not know: forged names add no metrics. */
    static final String OTHER_EVENT = "Other";

    private final FunctionLog log;

    public DecisionLog(FunctionLog log) {
        this.log = log;
    }

    /** The evaluator's log on {@code out}, with the function's environment and this process's invocations. */
    public DecisionLog(PrintStream out, Clock clock) {
        this(new FunctionLog(SERVICE, System.getenv(), out, clock, Invocations.PROCESS));
    }

    /** A log that writes nothing (the CLI prints its own report). */
    public static DecisionLog silent() {
        return new DecisionLog(FunctionLog.silent(SERVICE));
    }

    public void record(Decision d, String source, long lookups) {
        record(d, source, lookups, Optional.empty());
    }

    /**
     * With the remediation's status and backup id, so that a decision can be traced to what was changed.
     * {@code requestId} is the invocation's, as the service was given it.
     */
    public void record(Decision d, String requestId, long lookups, Optional<RemediationReport> remediation) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, 0);
        }
        for (Finding f : d.findings()) {
            counts.merge(f.severity(), 1, Integer::sum);
        }
        log.log(d.verdict() == Verdict.ERROR ? LogLevel.ERROR : LogLevel.INFO, "decision", Optional.of(requestId),
                g -> fields(g, d, lookups, remediation));
        log.metrics(metrics(d, lookups, counts, remediation));
        for (MetricLine byRule : byRule(d)) {
            log.metrics(byRule);
        }
    }

    private static void fields(JsonGenerator g, Decision d, long lookups, Optional<RemediationReport> remediation)
            throws IOException {
        g.writeStringField("verdict", d.verdict().name());
        g.writeStringField("reason", Secrets.redact(d.reason()));
        g.writeStringField("eventId", d.eventId());
        g.writeStringField("eventName", d.eventName());
        Optional<String> account = d.event().flatMap(CloudTrailEvent::account);
        if (account.isPresent()) {
            g.writeStringField("account", account.get());
        }
        if (d.target().isPresent()) {
            g.writeStringField("target", Secrets.redact(d.target().get()));
        }
        // One string for Logs Insights: `filter ruleIds like /ADMIN_ACCESS/` (arrays are flattened per index there).
        g.writeStringField("ruleIds", String.join(",", d.findings().stream().map(Finding::ruleId).distinct().toList()));
        g.writeNumberField("iamLookups", lookups);
        if (remediation.isPresent()) {
            g.writeStringField("remediation", remediation.get().status().name());
            if (remediation.get().backupId().isPresent()) {
                g.writeStringField("backupId", remediation.get().backupId().get());
            }
            if (remediation.get().reason().isPresent()) {
                g.writeStringField("remediationReason", Secrets.redact(remediation.get().reason().get()));
            }
        }
        g.writeArrayFieldStart("findings");
        for (Finding f : d.findings()) {
            g.writeString(f.severity() + " " + f.ruleId());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("notes");
        for (String n : d.notes()) {
            g.writeString(Secrets.redact(n));
        }
        g.writeEndArray();
    }

    private static MetricLine metrics(Decision d, long lookups, Map<Severity, Integer> counts,
                                      Optional<RemediationReport> remediation) {
        MetricLine line = new MetricLine().dimension("Verdict", d.verdict().name())
                .dimension("EventName", EventKind.named(d.eventName()).map(Enum::name).orElse(OTHER_EVENT))
                .group(List.of(List.of("Verdict"), List.of("EventName")), List.of(Metric.count("EventsProcessed", 1)));
        List<Metric> byVerdict = new ArrayList<>();
        byVerdict.add(Metric.count("IamLookups", lookups));
        // The alarm on it treats missing data as breaching: a day without a heartbeat is a broken event path.
        byVerdict.add(Metric.count("HeartbeatReceived", Heartbeats.isHeartbeat(d) ? 1 : 0));
        for (Severity s : Severity.values()) {
            byVerdict.add(Metric.count(findings(s), counts.get(s)));
        }
        line.group(List.of(List.of("Verdict")), byVerdict);
        if (remediation.isPresent()) {
            line.dimension("RemediationStatus", remediation.get().status().name())
                    .group(List.of("RemediationStatus"), Metric.count("Remediations", 1));
        }
        return line;
    }

    /** One document per rule and severity found: {@code Findings} by {@code RuleId} and by {@code Severity}. */
    private static List<MetricLine> byRule(Decision d) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Finding f : d.findings()) {
            counts.merge(f.ruleId() + " " + f.severity().name(), 1, Integer::sum);
        }
        List<MetricLine> lines = new ArrayList<>();
        counts.forEach((key, n) -> {
            String[] ruleAndSeverity = key.split(" ");
            lines.add(new MetricLine().dimension("RuleId", ruleAndSeverity[0]).dimension("Severity", ruleAndSeverity[1])
                    .group(List.of(List.of("RuleId"), List.of("Severity")), List.of(Metric.count("Findings", n))));
        });
        return lines;
    }

    static String findings(Severity s) {
        return "Findings" + s.name().charAt(0) + s.name().substring(1).toLowerCase(Locale.ROOT);
    }
}
