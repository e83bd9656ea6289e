package io.iamguardrail.engine;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/** The JSON shape of a finding, the same in `check`, `replay` and alerts. */
public final class FindingJson {

    private FindingJson() {
    }

    public static void write(JsonGenerator g, Finding f) throws IOException {
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
        g.writeStringField("fingerprint", fingerprint(f));
        g.writeEndObject();
    }

    /** A short stable id of the finding in its source, for deduplication by whoever reads the JSON. */
    public static String fingerprint(Finding f) {
        return Integer.toHexString((f.key() + "|" + f.source()).hashCode());
    }
}
