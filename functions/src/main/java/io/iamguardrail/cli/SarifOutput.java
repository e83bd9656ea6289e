package io.iamguardrail.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.rules.Rules;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: rules with help and a {@code security-severity}, results with a
 * relative artifact URI and a region whose line is at least 1, and a stable partial fingerprint per finding.
 */
final class SarifOutput {

    private SarifOutput() {
    }

    static void write(CheckResult result, PrintWriter out) {
        write(result, out, Path.of(""));
    }

    /** {@code base}: the working directory, which relative artifact URIs are relative to ({@code %SRCROOT%}). */
    static void write(CheckResult result, PrintWriter out, Path base) {
        SarifUris uris = new SarifUris(base);
        List<RuleMetadata> rules = Rules.catalogue();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            index.put(rules.get(i).id(), i);
        }
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            g.writeStringField("version", "2.1.0");
            g.writeArrayFieldStart("runs");
            g.writeStartObject();
            g.writeObjectFieldStart("tool");
            g.writeObjectFieldStart("driver");
            g.writeStringField("name", "IAM Guardrail");
            g.writeStringField("semanticVersion", Main.VERSION.substring(Main.VERSION.lastIndexOf(' ') + 1));
            g.writeStringField("informationUri", "https://github.com/iam-guardrail/iam-guardrail");
            g.writeArrayFieldStart("rules");
            for (RuleMetadata r : rules) {
                g.writeStartObject();
                g.writeStringField("id", r.id());
                g.writeStringField("name", camel(r.id()));
                g.writeObjectFieldStart("shortDescription");
                g.writeStringField("text", r.title());
                g.writeEndObject();
                g.writeObjectFieldStart("fullDescription");
                g.writeStringField("text", r.rationale());
                g.writeEndObject();
                g.writeObjectFieldStart("help");
                g.writeStringField("text", r.remediation());
                g.writeEndObject();
                if (!r.references().isEmpty()) {
                    g.writeStringField("helpUri", r.references().get(0));
                }
                g.writeObjectFieldStart("defaultConfiguration");
                g.writeStringField("level", level(r.severity()));
                g.writeEndObject();
                g.writeObjectFieldStart("properties");
                g.writeStringField("security-severity", securitySeverity(r.severity()));
                g.writeArrayFieldStart("tags");
                g.writeString("security");
                g.writeString("iam");
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
            g.writeObjectFieldStart("originalUriBaseIds");
            g.writeObjectFieldStart(SarifUris.SRCROOT);
            g.writeStringField("uri", uris.baseUri());
            g.writeEndObject();
            g.writeEndObject();
            g.writeArrayFieldStart("results");
            for (Finding f : result.findings()) {
                g.writeStartObject();
                g.writeStringField("ruleId", f.ruleId());
                Integer i = index.get(f.ruleId());
                if (i != null) {
                    g.writeNumberField("ruleIndex", i);
                }
                g.writeStringField("level", level(f.severity()));
                g.writeObjectFieldStart("message");
                g.writeStringField("text", f.message() + ". Fix: " + f.remediation());
                g.writeEndObject();
                g.writeArrayFieldStart("locations");
                location(g, uris, f.source(), f.location(), -1);
                g.writeEndArray();
                if (!f.related().isEmpty()) {
                    // The other statements (or policies) that make the finding, e.g. the second half of an escalation.
                    g.writeArrayFieldStart("relatedLocations");
                    for (int k = 0; k < f.related().size(); k++) {
                        location(g, uris, f.related().get(k).source(), f.related().get(k).location(), k + 1);
                    }
                    g.writeEndArray();
                }
                g.writeObjectFieldStart("partialFingerprints");
                g.writeStringField("iamGuardrail/v1", Integer.toHexString((f.key() + "|" + f.source()).hashCode()));
                g.writeEndObject();
                g.writeObjectFieldStart("properties");
                g.writeStringField("severity", f.severity().name());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One location object; {@code id} above 0 for a related location (which SARIF numbers). */
    private static void location(JsonGenerator g, SarifUris uris, String source, SourceLocation at, int id)
            throws IOException {
        g.writeStartObject();
        if (id > 0) {
            g.writeNumberField("id", id);
        }
        g.writeObjectFieldStart("physicalLocation");
        g.writeObjectFieldStart("artifactLocation");
        SarifUris.Location where = uris.of(source);
        g.writeStringField("uri", where.uri());
        if (where.uriBaseId().isPresent()) {
            g.writeStringField("uriBaseId", where.uriBaseId().get());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("region");
        g.writeNumberField("startLine", Math.max(1, at.line()));
        g.writeNumberField("startColumn", Math.max(1, at.column()));
        g.writeEndObject();
        g.writeEndObject();
        if (!at.pointer().isEmpty()) {
            g.writeArrayFieldStart("logicalLocations");
            g.writeStartObject();
            g.writeStringField("fullyQualifiedName", at.pointer());
            g.writeStringField("kind", "element");
            g.writeEndObject();
            g.writeEndArray();
        }
        if (id > 0) {
            g.writeObjectFieldStart("message");
            g.writeStringField("text", "also part of this finding: " + (at.pointer().isEmpty() ? "/" : at.pointer()));
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            default -> "note";
        };
    }

    /** GitHub maps security-severity to critical (≥ 9.0), high (≥ 7.0), medium (≥ 4.0) and low. */
    static String securitySeverity(Severity s) {
        return switch (s) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "3.0";
            case INFO -> "0.0";
        };
    }

    private static String camel(String id) {
        StringBuilder sb = new StringBuilder();
        for (String part : id.toLowerCase(Locale.ROOT).split("_")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }
}
