package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.text.VisibleText;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Renders an alert as a Slack Block Kit message that fits one screen: pure (no I/O), so what a channel will show is
 * testable without Slack or AWS. In order: a header with the severity's emoji and the worst finding; who, what and
 * where as fields (the principal and the policy apart); the first {@value #FULL_FINDINGS} findings in full, each with
 * its fix; the remediation, and the undo only when the guardrail acted; one line per further finding; what is new;
 * notes and links in small print. Each section stays under Slack's "Show more" fold ({@link SlackBlocks#SHOW_MORE})
 * so the fix and the undo are never folded away; what Slack does not show (every escalation method, every finding
 * past the lines, the full user agent) is in the e-mail and the JSON alert.
 *
 * <p>Every value that a caller controls (names, ARNs, policy text in messages, the user agent, notes) goes through
 * {@link Mrkdwn}; the Block Kit primitives ({@link SlackBlocks}) keep each text within Slack's limits.
 */
public final class SlackRenderer {

    /** Findings shown with their message and fix; the others get one line each. */
    static final int FULL_FINDINGS = 3;
    /** Room kept in a section for the line that counts what did not fit. */
    private static final int COUNT_LINE = 160;
    static final int WHY_MAX = 240;
    static final int FIX_MAX = 300;
    static final int NOTES_MAX = 300;
    static final int LOWERED_MAX = 120;
    static final int USER_AGENT_SHOWN = 22;
    /** Names in the facts: IAM names are at most 64 characters (128 for a policy), a session name 64. */
    static final int NAME_SHOWN = 130;
    static final int NEW_ACCESS_LISTED = 5;
    /** Other events of the principal listed by name before they are counted. */
    static final int OTHER_EVENTS_SHOWN = 3;

    private SlackRenderer() {
    }

    /**
     * The full message for one alert: with {@value #FULL_FINDINGS} findings in full when that fits one screen
     * ({@link SlackHeight}), else with fewer in full and the others one line each.
     */
    public static String render(AlertDocument a) {
        String message = render(a, FULL_FINDINGS);
        for (int full = FULL_FINDINGS - 1; full >= 1 && SlackHeight.of(SlackBlocks.read(message)) > SlackHeight.SCREEN; full--) {
            message = render(a, full);
        }
        return message;
    }

    static String render(AlertDocument a, int full) {
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(SlackBlocks.header(header(a)));
        blocks.add(SlackBlocks.fields(facts(a)));
        List<AlertDocument.Finding> findings = a.findings();
        for (int i = 0; i < Math.min(full, findings.size()); i++) {
            blocks.add(SlackBlocks.section(finding(findings.get(i))));
        }
        remediation(a.remediation()).ifPresent(r -> blocks.add(SlackBlocks.section(r)));
        undo(a.remediation()).ifPresent(u -> blocks.add(SlackBlocks.section(u)));
        oneLiners(a, full).ifPresent(s -> blocks.add(SlackBlocks.section(s)));
        if (!a.newAccess().isEmpty()) {
            blocks.add(SlackBlocks.section(newAccess(a.newAccess())));
        }
        otherEvents(a).ifPresent(o -> blocks.add(SlackBlocks.context(o)));
        if (!a.notes().isEmpty()) {
            blocks.add(SlackBlocks.context(Mrkdwn.cut("_Notes:_ " + a.notes().stream().map(n -> Mrkdwn.escape(n, 200))
                    .collect(Collectors.joining(" · ")), NOTES_MAX)));
        }
        blocks.add(SlackBlocks.context(links(a)));
        return SlackBlocks.message(preview(a), blocks);
    }

    /** {@code :rotating_light: CRITICAL · Privilege escalation path (+3)}: the severity and the worst finding. */
    static String header(AlertDocument a) {
        Severity s = a.level();
        Remediation r = a.remediation();
        String failed = r.status().filter(st -> st.equals("FAILED") || st.equals("PARTIAL"))
                .map(st -> "Remediation " + st + " · ").orElse("");
        long more = hidden(a) + Math.max(0, a.findings().size() - 1);
        String what = a.findings().isEmpty() ? "IAM change by " + a.actor().display()
                : a.findings().get(0).title() + (more > 0 ? " (+" + more + ")" : "");
        return s.emoji() + " " + s + " · " + failed + what;
    }

    /** Who, what and where, two to a row: the principal and the policy as two facts. */
    static List<String> facts(AlertDocument a) {
        AlertDocument.Actor who = a.actor();
        AlertDocument.Event e = a.event();
        List<String> fields = new ArrayList<>();
        fields.add("*Who:* " + Mrkdwn.code(shortened(who.display(), NAME_SHOWN)) + " · " + (who.mfa() ? "MFA" : "*no MFA*"));
        int others = a.otherEvents().size();
        fields.add("*Event:* " + Mrkdwn.code(shortened(e.name(), NAME_SHOWN))
                + e.time().map(t -> " · " + Mrkdwn.escape(shortened(t, 40))).orElse("")
                + (others == 0 ? "" : " · and " + others + " more change" + (others == 1 ? "" : "s")));
        TargetParts parts = TargetParts.of(a.target());
        for (TargetParts.Part p : List.of(parts.principal(), parts.object()).stream().flatMap(Optional::stream).toList()) {
            TargetParts.Part shown = new TargetParts.Part(p.label(), p.before(), shortened(p.name(), NAME_SHOWN), p.after());
            fields.add("*" + p.label() + ":* " + shown.mrkdwn());
        }
        fields.add("*Account:* " + e.account().map(id -> Mrkdwn.code(shortened(id, 40))).orElse("unknown")
                + e.accountName().filter(n -> !e.account().equals(Optional.of(n)))
                .map(n -> " (" + Mrkdwn.escape(shortened(n, 60)) + ")").orElse(""));
        fields.add("*From:* " + who.sourceIp().map(ip -> Mrkdwn.code(shortened(ip, 45))).orElse("unknown IP")
                + who.userAgent().map(ua -> " · " + Mrkdwn.code(shortened(ua, USER_AGENT_SHOWN))).orElse(""));
        return fields;
    }

    /**
     * The other events of the principal this alert names (a batch's changes), in small print: the first
     * {@value #OTHER_EVENTS_SHOWN} with name, time and caller, then a count; every id is in the JSON and the e-mail.
     */
    static Optional<String> otherEvents(AlertDocument a) {
        List<AlertDocument.OtherEvent> others = a.otherEvents();
        if (others.isEmpty()) {
            return Optional.empty();
        }
        String listed = others.stream().limit(OTHER_EVENTS_SHOWN).map(o -> Mrkdwn.code(shortened(o.name(), 40))
                + o.time().map(t -> " " + Mrkdwn.escape(shortened(t, 30))).orElse("") + " by "
                + Mrkdwn.code(shortened(o.actor(), 48))).collect(Collectors.joining(" · "));
        int more = others.size() - Math.min(others.size(), OTHER_EVENTS_SHOWN);
        // The count first: a cut never hides how many events the alert stands for.
        return Optional.of(Mrkdwn.cut("_Also in this alert, " + others.size() + " more event" + (others.size() == 1 ? "" : "s")
                + ":_ " + listed + (more > 0 ? " · and " + more + " more" : ""), NOTES_MAX + 200));
    }

    /** One finding in full, within the fold: severity, title, rule, why (summarised when long), how to fix. */
    static String finding(AlertDocument.Finding f) {
        Severity s = Severity.of(f.severity());
        String title = s.emoji() + " *" + s + "* · *" + Mrkdwn.escape(f.title(), 150) + "* " + Mrkdwn.code(f.ruleId());
        String lowered = f.severityLoweredBecause().map(l -> "\n_severity lowered: " + Mrkdwn.escape(l, LOWERED_MAX) + "_")
                .orElse("");
        String fix = "\n*Fix:* " + Mrkdwn.escape(f.remediation(), FIX_MAX);
        int room = SlackBlocks.SHOW_MORE - title.length() - lowered.length() - fix.length() - 1;
        return title + "\n" + FindingText.summary(f.message(), Math.min(WHY_MAX, room)) + lowered + fix;
    }

    /** One line per finding past the first {@code full}, then a count of what did not fit. */
    static Optional<String> oneLiners(AlertDocument a, int full) {
        List<AlertDocument.Finding> rest = a.findings().subList(Math.min(full, a.findings().size()),
                a.findings().size());
        long notShown = a.findingsNotShown().values().stream().mapToLong(Long::longValue).sum();
        if (rest.isEmpty() && notShown == 0) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        int listed = 0;
        for (AlertDocument.Finding f : rest) {
            Severity s = Severity.of(f.severity());
            String line = s.emoji() + " *" + s + "* · " + Mrkdwn.escape(f.title(), 100) + " " + Mrkdwn.code(f.ruleId());
            if (sb.length() + line.length() + 1 > SlackBlocks.SHOW_MORE - COUNT_LINE) {
                break;
            }
            sb.append(sb.length() == 0 ? "" : "\n").append(line);
            listed++;
        }
        long more = rest.size() - listed + notShown;
        if (more > 0) {
            Map<String, Long> byRule = new LinkedHashMap<>();
            rest.subList(listed, rest.size()).forEach(f -> byRule.merge(f.ruleId(), 1L, Long::sum));
            a.findingsNotShown().forEach((rule, n) -> byRule.merge(rule, n, Long::sum));
            String rules = byRule.entrySet().stream().limit(3).map(x -> Mrkdwn.code(x.getKey()) + " ×" + x.getValue())
                    .collect(Collectors.joining(", ")) + (byRule.size() > 3 ? ", …" : "");
            sb.append(sb.length() == 0 ? "" : "\n").append(Mrkdwn.cut("_and " + more + " more finding"
                    + (more == 1 ? "" : "s") + " (" + rules + ") in the e-mail and the JSON alert_", COUNT_LINE));
        }
        return Optional.of(sb.toString());
    }

    /**
     * What the guardrail did, the mode said once: {@code *Remediation:* DONE (REMEDIATE mode) · detached ...}. The
     * summary names each action with its outcome; a document without one lists the actions.
     */
    static Optional<String> remediation(Remediation r) {
        if (r.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder("*Remediation:*");
        r.headline().ifPresent(h -> sb.append(' ').append(Mrkdwn.escape(h)));
        r.text().ifPresent(t -> sb.append(' ').append(Mrkdwn.escape(t, 300)));
        r.summary().ifPresent(t -> sb.append(" · ").append(Mrkdwn.escape(t, 300)));
        if (r.summary().isEmpty() && r.text().isEmpty()) {
            int n = 0;
            for (Remediation.Action x : r.actions()) {
                if (n++ == 3) {
                    sb.append("\n• _and ").append(r.actions().size() - 3).append(" more actions in the e-mail_");
                    break;
                }
                sb.append("\n• ").append(Mrkdwn.escape(x.status().orElse("?"))).append(' ').append(Mrkdwn.code(x.action()))
                        .append(x.target().map(t -> " " + Mrkdwn.code(Mrkdwn.cut(t, 100))).orElse(""))
                        .append(x.detail().map(d -> ": " + Mrkdwn.escape(d, 120)).orElse(""));
            }
        }
        return Optional.of(Mrkdwn.cut(sb.toString(), SlackBlocks.SHOW_MORE));
    }

    /**
     * The undo, only when the guardrail acted: the backup id and the commands in a code block, ready to copy. A command
     * is shown whole or not at all (a cut command pasted into a shell does something else); those that do not fit
     * under the fold are counted, and the e-mail has them all.
     */
    static Optional<String> undo(Remediation r) {
        if (!r.acted()) {
            return Optional.empty();
        }
        String head = "*Undo*" + r.backupId().map(b -> " (backup " + Mrkdwn.code(b) + ")").orElse("") + ":";
        List<String> commands = new ArrayList<>();
        r.undoCommand().ifPresent(commands::add);
        commands.addAll(r.undoAws());
        StringBuilder code = new StringBuilder();
        int shown = 0;
        for (String c : commands) {
            String line = Mrkdwn.escape(c.replace("```", "'''"));
            if (head.length() + code.length() + line.length() + 8 + COUNT_LINE > SlackBlocks.SHOW_MORE) {
                break;
            }
            code.append(code.length() == 0 ? "" : "\n").append(line);
            shown++;
        }
        int left = commands.size() - shown;
        String block = shown == 0 ? "" : "\n```" + code + "```";
        String rest = left == 0 ? "" : shown == 0 ? "\n_the " + (left == 1 ? "command is" : left + " commands are")
                + " in the e-mail_" : "\n_and " + left + " more in the e-mail_";
        return Optional.of(head + block + rest);
    }

    static String newAccess(List<String> items) {
        StringBuilder sb = new StringBuilder("*What is new:*");
        int n = 0;
        for (String item : items) {
            String line = "\n• " + Mrkdwn.escape(item, 150);
            if (n == NEW_ACCESS_LISTED || sb.length() + line.length() > SlackBlocks.SHOW_MORE - COUNT_LINE) {
                sb.append("\n• _and ").append(items.size() - n).append(" more in the e-mail and the JSON alert_");
                break;
            }
            sb.append(line);
            n++;
        }
        return sb.toString();
    }

    static String links(AlertDocument a) {
        List<String> links = new ArrayList<>();
        ConsoleLinks.principal(a).ifPresent(l -> links.add(Mrkdwn.link(l.url(), l.label())));
        ConsoleLinks.Link ct = ConsoleLinks.cloudTrail(a);
        links.add(Mrkdwn.link(ct.url(), ct.label()));
        return Mrkdwn.cut(String.join(" · ", links), SlackBlocks.CONTEXT_MAX);
    }

    static String preview(AlertDocument a) {
        return Mrkdwn.escape(a.level() + ": " + a.summary(), SlackBlocks.PREVIEW_MAX);
    }

    /** Findings the alert counts but does not list. */
    static long hidden(AlertDocument a) {
        return a.findingsNotShown().values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * {@code raw} with its hidden characters made visible ({@link VisibleText}), then cut to {@code max} characters
     * with an ellipsis: a glance, the whole value is in the e-mail.
     */
    static String shortened(String raw, int max) {
        String s = VisibleText.line(raw);
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 2)) ? max - 2 : max - 1;
        return s.substring(0, end) + "…";
    }

    static Map<Severity, Long> countBySeverity(List<AlertDocument> alerts) {
        return alerts.stream().collect(Collectors.groupingBy(AlertDocument::level, () -> new EnumMap<>(Severity.class),
                Collectors.counting()));
    }
}
