package io.iamguardrail.notify;

import io.iamguardrail.text.VisibleText;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The plain-text alert for e-mail subscriptions (the {@code email} key of the SNS message), rendered from the same
 * document as Slack so that both carry the same facts in the same order: who, what, where (the principal and the
 * policy apart), each finding with its fix, the remediation and (when the guardrail acted) its undo, what is new,
 * notes, and the console and CloudTrail links. The e-mail has everything in full, which Slack shortens to a screen.
 *
 * <p>Every value can come from the caller (names, policy text, user agent): each is kept on one line with control
 * and format characters escaped, so nothing in them can pose as a line of the alert or reorder what is read.
 */
public final class EmailRenderer {

    private EmailRenderer() {
    }

    public static String render(AlertDocument a) {
        StringBuilder sb = new StringBuilder();
        sb.append(a.level()).append(": ").append(line(a.summary())).append("\n\n");
        AlertDocument.Actor who = a.actor();
        sb.append("Who:       ").append(line(who.arn().orElse(who.type()))).append(" (").append(line(who.type()))
                .append(who.mfa() ? ", MFA" : ", no MFA").append(")\n");
        who.sessionIssuer().ifPresent(i -> sb.append("Via:       ").append(line(i)).append('\n'));
        who.sourceIp().ifPresent(ip -> sb.append("From:      ").append(line(ip)).append('\n'));
        who.userAgent().ifPresent(ua -> sb.append("Using:     ").append(line(ua)).append('\n'));
        AlertDocument.Event e = a.event();
        sb.append("Event:     ").append(line(e.name())).append(e.time().map(t -> ", " + line(t)).orElse(""))
                .append(", event ").append(line(e.id())).append('\n');
        TargetParts parts = TargetParts.of(a.target());
        for (TargetParts.Part p : List.of(parts.principal(), parts.object()).stream().flatMap(Optional::stream).toList()) {
            sb.append(String.format("%-11s", p.label() + ":")).append(line(p.plain())).append('\n');
        }
        sb.append("Account:   ").append(line(e.accountShown().orElse("unknown"))).append("\n\n");
        if (!a.otherEvents().isEmpty()) {
            sb.append("Other events of this principal in the alert:\n");
            a.otherEvents().forEach(o -> sb.append("- ").append(line(o.name())).append(o.time().map(t -> ", " + line(t))
                    .orElse("")).append(", event ").append(line(o.id())).append(", by ").append(line(o.actor()))
                    .append('\n'));
            sb.append('\n');
        }
        sb.append("Findings:\n");
        for (AlertDocument.Finding f : a.findings()) {
            sb.append("- ").append(line(f.severity())).append(' ').append(line(f.ruleId())).append(": ")
                    .append(line(f.message())).append('\n');
            f.severityLoweredBecause().ifPresent(l -> sb.append("  Severity lowered: ").append(line(l)).append('\n'));
            sb.append("  Fix: ").append(line(f.remediation())).append('\n');
        }
        Map<String, Long> omitted = a.findingsNotShown();
        if (!omitted.isEmpty()) {
            sb.append("- and ").append(omitted.values().stream().mapToLong(Long::longValue).sum()).append(" more: ")
                    .append(omitted.entrySet().stream().map(o -> line(o.getKey()) + " x" + o.getValue())
                            .collect(Collectors.joining(", ")))
                    .append('\n');
        }
        remediation(sb, a.remediation());
        if (!a.newAccess().isEmpty()) {
            sb.append("\nNew access:\n");
            a.newAccess().forEach(n -> sb.append("- ").append(line(n)).append('\n'));
        }
        if (!a.notes().isEmpty()) {
            sb.append("\nNotes:\n");
            a.notes().forEach(n -> sb.append("- ").append(line(n)).append('\n'));
        }
        sb.append("\nLinks:\n");
        ConsoleLinks.principal(a).ifPresent(l -> sb.append("- ").append(line(l.label())).append(": ").append(l.url()).append('\n'));
        ConsoleLinks.Link ct = ConsoleLinks.cloudTrail(a);
        sb.append("- ").append(line(ct.label())).append(": ").append(ct.url()).append('\n');
        return sb.toString();
    }

    /** Status (the mode said once), the actions, and the undo only when the guardrail acted. */
    private static void remediation(StringBuilder sb, Remediation r) {
        sb.append("\nRemediation: ");
        if (r.isEmpty()) {
            sb.append("not reported\n");
            return;
        }
        r.text().ifPresent(t -> sb.append(line(t)));
        r.headline().ifPresent(h -> sb.append(line(h)));
        sb.append('\n');
        r.summary().ifPresent(s -> sb.append("  ").append(line(s)).append('\n'));
        for (Remediation.Action x : r.actions()) {
            sb.append("  - ").append(line(x.status().orElse("?"))).append(' ').append(line(x.action()))
                    .append(x.target().map(t -> " " + line(t)).orElse(""))
                    .append(x.detail().map(d -> ": " + line(d)).orElse("")).append('\n');
        }
        r.backupId().ifPresent(b -> sb.append("  Backup: ").append(line(b)).append('\n'));
        if (r.acted()) {
            sb.append("  Undo:\n");
            r.undoCommand().ifPresent(c -> sb.append("    ").append(line(c)).append('\n'));
            r.undoAws().forEach(c -> sb.append("    ").append(line(c)).append('\n'));
        }
    }

    /**
     * Control and format characters (newlines, ESC, bidi overrides, zero-width characters) become visible escapes:
     * a value stays on its line and reads as what it is ({@link VisibleText}).
     */
    public static String line(String s) {
        return VisibleText.line(s);
    }
}
