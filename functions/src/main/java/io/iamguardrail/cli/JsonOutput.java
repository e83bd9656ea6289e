package io.iamguardrail.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import io.iamguardrail.engine.Severity;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/** Findings for machines: a top-level {@code findings} array, a summary, and what was suppressed and why. */
final class JsonOutput {

    static final String SCHEMA = "iam-guardrail/check/1";

    private JsonOutput() {
    }

    static void write(CheckResult result, PrintWriter out) {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("tool", Main.VERSION);
            g.writeArrayFieldStart("findings");
            for (Finding f : result.findings()) {
                finding(g, f);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("summary");
            g.writeNumberField("files", result.files());
            g.writeNumberField("findings", result.findings().size());
            for (Map.Entry<Severity, Integer> e : result.counts().entrySet()) {
                g.writeNumberField(e.getKey().lowerName(), e.getValue());
            }
            g.writeNumberField("suppressed", result.suppressedCount());
            g.writeArrayFieldStart("skipped");
            for (String s : result.skipped()) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("suppressed");
            for (Report r : result.reports()) {
                for (Report.Suppressed s : r.suppressed()) {
                    g.writeStartObject();
                    g.writeStringField("ruleId", s.finding().ruleId());
                    g.writeStringField("source", s.finding().source());
                    g.writeStringField("message", s.finding().message());
                    g.writeStringField("reason", s.reason());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void finding(JsonGenerator g, Finding f) throws IOException {
        g.writeStartObject();
        g.writeStringField("ruleId", f.ruleId());
        g.writeStringField("severity", f.severity().name());
        g.writeStringField("title", f.title());
        g.writeStringField("message", f.message());
        g.writeStringField("source", f.source());
        if (f.principal().isPresent()) {
            g.writeStringField("principal", f.principal().get());
        }
        g.writeObjectFieldStart("location");
        g.writeStringField("pointer", f.location().pointer());
        g.writeNumberField("line", f.location().line());
        g.writeNumberField("column", f.location().column());
        g.writeEndObject();
        g.writeStringField("remediation", f.remediation());
        if (f.lowered().isPresent()) {
            g.writeStringField("severityLoweredBecause", f.lowered().get());
        }
        if (!f.related().isEmpty()) {
            g.writeArrayFieldStart("related");
            for (Finding.SourceRef r : f.related()) {
                g.writeStartObject();
                g.writeStringField("source", r.source());
                g.writeStringField("pointer", r.location().pointer());
                g.writeNumberField("line", r.location().line());
                g.writeNumberField("column", r.location().column());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeStringField("fingerprint", Integer.toHexString((f.key() + "|" + f.source()).hashCode()));
        g.writeEndObject();
    }
}
