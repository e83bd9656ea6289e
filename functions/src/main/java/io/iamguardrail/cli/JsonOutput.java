package io.iamguardrail.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.FindingJson;
import io.iamguardrail.engine.Report;

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
                FindingJson.write(g, f);
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
}
