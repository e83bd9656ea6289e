package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.text.VisibleText;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Renders an alert as a Slack Block Kit message: pure (no I/O), so what a channel will show is testable without
 * Slack or AWS. The blocks sit in one attachment, the only way Slack draws a severity colour bar next to them; the
 * top-level {@code text} is the notification preview.
 *
 * <p>Every value that a caller controls (names, ARNs, policy text in messages, the user agent, notes) goes through
 * {@link Mrkdwn}; every text is cut to Slack's limits (header 150, section 3000, field 2000, 50 blocks). The Block
 * Kit primitives pass each text through {@link VisibleText} once more, so no renderer can let a bidi override or a
 * control character through.
 */
public final class SlackRenderer {

    static final int HEADER_MAX = 150;
    static final int SECTION_MAX = 3000;
    static final int FIELD_MAX = 2000;
    static final int CONTEXT_MAX = 2000;
    static final int PREVIEW_MAX = 3000;
    /** Slack accepts 50 blocks per message; findings beyond this many are counted, not shown. */
    static final int MAX_FINDING_BLOCKS = 25;
    static final int MAX_BLOCKS = 50;
    static final int MAX_LIST_ITEMS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackRenderer() {
    }

    /** The full message for one alert. */
    public static String render(AlertDocument a) {
        Severity s = a.level();
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(header(s.emoji() + " " + s + " · IAM change by " + a.actor().display()));
        blocks.add(section(summary(a)));
        AlertDocument.Actor who = a.actor();
        List<String> whoFields = new ArrayList<>();
        whoFields.add("*Who*\n" + who.arn().map(Mrkdwn::code).orElse(Mrkdwn.escape(who.type())));
        whoFields.add("*Type · MFA*\n" + Mrkdwn.escape(who.type()) + " · " + (who.mfa() ? "MFA" : "*no MFA*"));
        who.sessionIssuer().ifPresent(i -> whoFields.add("*Session issuer*\n" + Mrkdwn.code(i)));
        whoFields.add("*Source IP*\n" + who.sourceIp().map(Mrkdwn::code).orElse("unknown"));
        whoFields.add("*User agent*\n" + who.userAgent().map(Mrkdwn::code).orElse("unknown"));
        blocks.add(fields(whoFields));
        AlertDocument.Event e = a.event();
        blocks.add(fields(List.of(
                "*Event*\n" + Mrkdwn.code(e.name()),
                "*Target*\n" + a.target().map(Mrkdwn::code).orElse("none named"),
                "*Account*\n" + e.account().map(Mrkdwn::code).orElse("unknown")
                        + e.accountName().filter(n -> !e.account().equals(Optional.of(n)))
                        .map(n -> " (" + Mrkdwn.escape(n) + ")").orElse(""),
                "*Time*\n" + e.time().map(Mrkdwn::escape).orElse("unknown"))));
        blocks.add(divider());
        int shown = 0;
        for (AlertDocument.Finding f : a.findings()) {
            if (shown == MAX_FINDING_BLOCKS) {
                break;
            }
            blocks.add(section(finding(f)));
            shown++;
        }
        long hidden = a.findings().size() - shown + a.findingsNotShown().values().stream().mapToLong(Long::longValue).sum();
        if (hidden > 0) {
            blocks.add(section("_and " + hidden + " more finding" + (hidden == 1 ? "" : "s") + " not shown"
                    + (a.findingsNotShown().isEmpty() ? "" : ": " + a.findingsNotShown().entrySet().stream()
                    .map(x -> Mrkdwn.code(x.getKey()) + " ×" + x.getValue()).collect(Collectors.joining(", ")))
                    + " (the e-mail and the JSON alert list them)_"));
        }
        if (!a.newAccess().isEmpty()) {
            blocks.add(section(list("*What is new*", a.newAccess())));
        }
        if (!a.notes().isEmpty()) {
            blocks.add(section(list("*Notes*", a.notes())));
        }
        remediation(a.remediation()).ifPresent(r -> blocks.add(section(r)));
        blocks.add(context(links(a)));
        return message(s, preview(a), blocks);
    }

    /**
     * {@code alice} ran {@code AttachRolePolicy} on {@code role deploy}: *Administrator access* (and 2 more).
     * Built from the parts, not the alert's own summary line, so that every name sits in a code span.
     */
    static String summary(AlertDocument a) {
        String what = a.findings().isEmpty() ? "no finding" : "*" + Mrkdwn.escape(a.findings().get(0).title()) + "*";
        int more = a.findings().size() - 1 + (int) a.findingsNotShown().values().stream().mapToLong(Long::longValue).sum();
        return Mrkdwn.cut(Mrkdwn.code(a.actor().display()) + " ran " + Mrkdwn.code(a.event().name())
                + a.target().map(t -> " on " + Mrkdwn.code(t)).orElse("") + ": " + what
                + (more > 0 ? " (and " + more + " more)" : ""), SECTION_MAX);
    }

    static String finding(AlertDocument.Finding f) {
        Severity s = Severity.of(f.severity());
        StringBuilder sb = new StringBuilder();
        sb.append(s.emoji()).append(" *").append(s).append("* ").append(Mrkdwn.code(f.ruleId())).append(" ")
                .append(Mrkdwn.escape(f.title())).append('\n');
        sb.append("*Why:* ").append(Mrkdwn.escape(f.message(), 1800)).append('\n');
        f.severityLoweredBecause().ifPresent(l -> sb.append("_severity lowered: ").append(Mrkdwn.escape(l, 300)).append("_\n"));
        sb.append("*Fix:* ").append(Mrkdwn.escape(f.remediation(), 800));
        return Mrkdwn.cut(sb.toString(), SECTION_MAX);
    }

    static Optional<String> remediation(Remediation r) {
        if (r.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder("*Remediation*");
        r.headline().ifPresent(h -> sb.append(": ").append(Mrkdwn.escape(h)));
        r.text().ifPresent(t -> sb.append(": ").append(Mrkdwn.escape(t, 1000)));
        r.summary().ifPresent(t -> sb.append('\n').append(Mrkdwn.escape(t, 1000)));
        int n = 0;
        for (Remediation.Action x : r.actions()) {
            if (n++ == 10) {
                sb.append("\n• _and ").append(r.actions().size() - 10).append(" more actions_");
                break;
            }
            sb.append("\n• ").append(Mrkdwn.escape(x.status().orElse("?"))).append(' ').append(Mrkdwn.code(x.action()))
                    .append(x.target().map(t -> " " + Mrkdwn.code(t)).orElse(""))
                    .append(x.detail().map(d -> ": " + Mrkdwn.escape(d, 300)).orElse(""));
        }
        r.backupId().ifPresent(b -> sb.append("\n*Backup:* ").append(Mrkdwn.code(b)));
        if (r.hasUndo()) {
            // A code block, so the commands can be copied as they are.
            sb.append("\n*Undo:*\n```");
            r.undoCommand().ifPresent(c -> sb.append(Mrkdwn.escape(c.replace("```", "'''"))).append('\n'));
            r.undoAws().forEach(c -> sb.append(Mrkdwn.escape(c.replace("```", "'''"))).append('\n'));
            sb.setLength(sb.length() - 1);
            sb.append("```");
            if (sb.length() > SECTION_MAX) {
                return Optional.of(Mrkdwn.cut(sb.toString(), SECTION_MAX - 3) + "```");
            }
        }
        return Optional.of(Mrkdwn.cut(sb.toString(), SECTION_MAX));
    }

    static String links(AlertDocument a) {
        List<String> links = new ArrayList<>();
        ConsoleLinks.principal(a).ifPresent(l -> links.add(Mrkdwn.link(l.url(), l.label())));
        ConsoleLinks.Link ct = ConsoleLinks.cloudTrail(a);
        links.add(Mrkdwn.link(ct.url(), ct.label()));
        return Mrkdwn.cut(String.join(" · ", links), CONTEXT_MAX);
    }

    static String preview(AlertDocument a) {
        Severity s = a.level();
        return Mrkdwn.escape(s + ": " + a.summary(), PREVIEW_MAX);
    }

    private static String list(String title, List<String> items) {
        StringBuilder sb = new StringBuilder(title);
        int n = 0;
        for (String item : items) {
            if (n++ == MAX_LIST_ITEMS) {
                sb.append("\n• _and ").append(items.size() - MAX_LIST_ITEMS).append(" more_");
                break;
            }
            sb.append("\n• ").append(Mrkdwn.escape(item, 400));
        }
        return Mrkdwn.cut(sb.toString(), SECTION_MAX);
    }

    // Block Kit primitives.

    static String message(Severity s, String preview, List<ObjectNode> blocks) {
        if (blocks.size() > MAX_BLOCKS) {
            throw new IllegalStateException("expected at most " + MAX_BLOCKS + " blocks but built " + blocks.size());
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("text", VisibleText.lines(preview));
        ObjectNode attachment = root.putArray("attachments").addObject();
        attachment.put("color", s.colour());
        ArrayNode array = attachment.putArray("blocks");
        blocks.forEach(array::add);
        return root.toString();
    }

    static ObjectNode header(String raw) {
        ObjectNode b = JSON.createObjectNode().put("type", "header");
        String plain = VisibleText.line(raw);
        String text = plain.length() <= HEADER_MAX ? plain : plain.substring(0, HEADER_MAX - 1) + "…";
        b.putObject("text").put("type", "plain_text").put("text", text).put("emoji", true);
        return b;
    }

    static ObjectNode section(String mrkdwn) {
        ObjectNode b = JSON.createObjectNode().put("type", "section");
        b.putObject("text").put("type", "mrkdwn").put("text", Mrkdwn.cut(VisibleText.lines(mrkdwn), SECTION_MAX));
        return b;
    }

    static ObjectNode fields(List<String> mrkdwn) {
        ObjectNode b = JSON.createObjectNode().put("type", "section");
        ArrayNode fields = b.putArray("fields");
        mrkdwn.stream().limit(10).forEach(f -> fields.addObject().put("type", "mrkdwn")
                .put("text", Mrkdwn.cut(VisibleText.lines(f), FIELD_MAX)));
        return b;
    }

    static ObjectNode context(String mrkdwn) {
        ObjectNode b = JSON.createObjectNode().put("type", "context");
        b.putArray("elements").addObject().put("type", "mrkdwn").put("text", VisibleText.lines(mrkdwn));
        return b;
    }

    static ObjectNode divider() {
        return JSON.createObjectNode().put("type", "divider");
    }

    static Map<Severity, Long> countBySeverity(List<AlertDocument> alerts) {
        return alerts.stream().collect(Collectors.groupingBy(AlertDocument::level, () -> new EnumMap<>(Severity.class),
                Collectors.counting()));
    }
}
