package io.iamguardrail.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import io.iamguardrail.config.Severity;
import io.iamguardrail.paths.Evidence;
import io.iamguardrail.paths.Hop;
import io.iamguardrail.paths.PrivilegePath;

import java.io.IOException;
import java.util.List;

import static io.iamguardrail.text.VisibleText.line;

/**
 * The paths to administrator access in each of the report's forms: the JSON's top-level {@code paths} array, the
 * HTML page's readable list (one item per principal, one line per hop), the text's summary.
 */
final class PathsReport {

    /** Paths listed in the text output before "and N more" (the JSON and HTML have them all). */
    static final int TEXT_SHOWN = 10;

    private PathsReport() {
    }

    /** {@code "paths": [{"principal", "reaches", "severity", "hops": [{"from", "to", "method", "evidence"}]}]}. */
    static void json(JsonGenerator g, List<PrivilegePath> paths) throws IOException {
        g.writeArrayFieldStart("paths");
        for (PrivilegePath p : paths) {
            g.writeStartObject();
            g.writeStringField("principal", p.principal());
            g.writeStringField("reaches", p.reaches());
            g.writeStringField("severity", p.severity().name());
            g.writeArrayFieldStart("hops");
            for (Hop h : p.hops()) {
                g.writeStartObject();
                g.writeStringField("from", h.from());
                g.writeStringField("to", h.to());
                g.writeStringField("method", h.method().id());
                g.writeObjectFieldStart("evidence");
                evidence(g, h.evidence());
                if (h.trust().isPresent()) {
                    g.writeObjectFieldStart("trust");
                    evidence(g, h.trust().get());
                    g.writeEndObject();
                }
                if (h.potential()) {
                    g.writeBooleanField("potential", true);
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void evidence(JsonGenerator g, Evidence e) throws IOException {
        g.writeStringField("policy", e.policy());
        g.writeStringField("statement", e.statement());
        g.writeStringField("location", e.location());
        g.writeStringField("detail", e.detail());
    }

    static String html(List<PrivilegePath> paths) {
        StringBuilder h = new StringBuilder("<section id=\"paths\"><h2>Paths to administrator access</h2>")
                .append("<p class=\"muted\">Or to a principal with a critical finding.</p>");
        if (paths.isEmpty()) {
            return h.append("<p>No principal reaches administrator access through others.</p></section>\n").toString();
        }
        h.append("<p class=\"muted\">Each principal's shortest path, hop by hop; a <em>potential</em> hop needs compute")
                .append(" (an instance, a task) that holds the role, which IAM does not show.</p><ol>");
        for (PrivilegePath p : paths) {
            h.append("<li><span class=\"sev ").append(p.severity()).append("\">").append(p.severity()).append("</span> <code>")
                    .append(AuditHtml.esc(p.principal())).append("</code> reaches <strong>")
                    .append(AuditHtml.esc(p.reaches())).append("</strong> in ").append(p.hops().size())
                    .append(p.hops().size() == 1 ? " hop" : " hops").append("<ol>");
            for (Hop h1 : p.hops()) {
                h.append("<li><code>").append(AuditHtml.esc(h1.from())).append("</code> &#8594; <strong>")
                        .append(AuditHtml.esc(h1.method().id())).append("</strong>").append(h1.potential() ? " (potential)" : "")
                        .append(" &#8594; <code>").append(AuditHtml.esc(h1.to())).append("</code>: ")
                        .append(AuditHtml.message(h1.evidence().detail())).append(" <span class=\"muted\">(")
                        .append(AuditHtml.esc(h1.evidence().policy())).append(", ").append(AuditHtml.esc(h1.evidence().statement()))
                        .append(h1.trust().map(t -> "; trust: " + AuditHtml.esc(t.policy()) + ", " + AuditHtml.esc(t.statement()))
                                .orElse("")).append(")</span></li>");
            }
            h.append("</ol></li>");
        }
        return h.append("</ol></section>\n").toString();
    }

    /** One summary line and the first paths as chains. */
    static String text(List<PrivilegePath> paths) {
        long critical = paths.stream().filter(p -> p.severity() == Severity.CRITICAL).count();
        StringBuilder out = new StringBuilder("\nPaths to administrator access or a principal with a critical finding: ")
                .append(paths.size());
        if (paths.isEmpty()) {
            return out.append('\n').toString();
        }
        out.append(" (").append(critical).append(" critical, ").append(paths.size() - critical)
                .append(" high or lower; see the JSON or HTML report for every hop's evidence)\n");
        paths.stream().limit(TEXT_SHOWN).forEach(p -> out.append("  ").append(p.severity()).append(' ')
                .append(line(p.chain())).append('\n'));
        if (paths.size() > TEXT_SHOWN) {
            out.append("  and ").append(paths.size() - TEXT_SHOWN).append(" more\n");
        }
        return out.toString();
    }
}
