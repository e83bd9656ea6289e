package io.iamguardrail.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iamguardrail.config.Severity;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.remediation.RemediationReport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One structured JSON line per decision (with its reason), followed by a CloudWatch embedded-metric-format line:
 * events processed, findings by severity, skips by reason, IAM lookups. No policy text and no secrets: rule ids,
 * severities, names and ids only.
 */
public final class DecisionLog {

    static final String NAMESPACE = "IamGuardrail";
    private static final JsonFactory JSON = new JsonFactory();

    private final PrintStream out;
    private final Clock clock;

    public DecisionLog(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** A log that writes nothing (the CLI prints its own report). */
    public static DecisionLog silent() {
        return new DecisionLog(new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC());
    }

    public void record(Decision d, String source, long lookups) {
        record(d, source, lookups, Optional.empty());
    }

    /** With the remediation's status and backup id, so that a decision can be traced to what was changed. */
    public void record(Decision d, String source, long lookups, Optional<RemediationReport> remediation) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, 0);
        }
        for (Finding f : d.findings()) {
            counts.merge(f.severity(), 1, Integer::sum);
        }
        out.println(line(g -> {
            g.writeStringField("level", d.verdict() == Verdict.ERROR ? "ERROR" : "INFO");
            g.writeStringField("message", "decision");
            g.writeStringField("verdict", d.verdict().name());
            g.writeStringField("reason", Secrets.redact(d.reason()));
            g.writeStringField("eventId", d.eventId());
            g.writeStringField("eventName", d.eventName());
            g.writeStringField("source", source);
            if (d.target().isPresent()) {
                g.writeStringField("target", Secrets.redact(d.target().get()));
            }
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
        }));
        out.println(line(g -> {
            g.writeObjectFieldStart("_aws");
            g.writeNumberField("Timestamp", clock.millis());
            g.writeArrayFieldStart("CloudWatchMetrics");
            g.writeStartObject();
            g.writeStringField("Namespace", NAMESPACE);
            g.writeArrayFieldStart("Dimensions");
            g.writeStartArray();
            g.writeString("Verdict");
            g.writeEndArray();
            g.writeEndArray();
            g.writeArrayFieldStart("Metrics");
            metric(g, "EventsProcessed");
            metric(g, "IamLookups");
            metric(g, "HeartbeatReceived");
            for (Severity s : Severity.values()) {
                metric(g, "Findings" + s.name().charAt(0) + s.name().substring(1).toLowerCase(Locale.ROOT));
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeStringField("Verdict", d.verdict().name());
            g.writeNumberField("EventsProcessed", 1);
            g.writeNumberField("IamLookups", lookups);
            // The alarm on it treats missing data as breaching: a day without a heartbeat is a broken event path.
            g.writeNumberField("HeartbeatReceived", Heartbeats.isHeartbeat(d) ? 1 : 0);
            for (Severity s : Severity.values()) {
                g.writeNumberField("Findings" + s.name().charAt(0) + s.name().substring(1).toLowerCase(Locale.ROOT),
                        counts.get(s));
            }
            if (d.verdict() == Verdict.SKIPPED) {
                g.writeStringField("SkipReason", Secrets.redact(d.reason()));
            }
        }));
        out.flush();
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static void metric(JsonGenerator g, String name) throws IOException {
        g.writeStartObject();
        g.writeStringField("Name", name);
        g.writeStringField("Unit", "Count");
        g.writeEndObject();
    }

    private static String line(Fields fields) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
