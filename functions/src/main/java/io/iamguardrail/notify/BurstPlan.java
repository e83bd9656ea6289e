package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What to post for a batch of alerts, so that a burst (one Terraform apply: dozens of alerts within seconds) does not
 * flood the channel.
 *
 * <p>Design: the notifier reads the topic through an SQS queue whose event source mapping has a batching window
 * (for example 30 s, batch size 100): Lambda then hands it the alerts of that window together. Alerts are grouped by
 * actor (the caller's ARN). A group of at most {@code threshold} alerts is posted in full, one message each. A
 * larger group is a burst: its most severe alert is posted in full, and one digest message, in the alerts' style and
 * within one screen, lists the next {@value #DIGEST_LINES} most severe one line each (severity, event, principal,
 * first finding, CloudTrail link) and counts the others by severity and event.
 *
 * <p>Why this design: the window and the grouping cost no state and no extra service, and nothing is dropped: every
 * alert of a burst is posted in full, listed or counted in the digest, and each is still in its own e-mail and in
 * the JSON on the topic. A channel gets two messages of one screen each rather than forty. A failed post fails exactly the alerts it
 * carries, which the queue delivers again (then to its dead-letter queue). A direct SNS subscription (one alert per
 * invocation) works too, without burst grouping.
 */
public final class BurstPlan {

    /** Alerts of one actor beyond which a group is a burst. */
    public static final int DEFAULT_THRESHOLD = 3;
    static final int DIGEST_LINE_MAX = 400;
    /** Alerts a digest lists one line each, most severe first: with the facts, about half a screen. */
    static final int DIGEST_LINES = 10;

    private BurstPlan() {
    }

    /** The messages to post for {@code batch}, in order: per actor, full messages first, then the digest. */
    public static List<SlackMessage> plan(List<Notice.Alert> batch, int threshold) {
        Map<String, List<Notice.Alert>> byActor = batch.stream().collect(Collectors.groupingBy(
                i -> i.document().actor().arn().orElse(i.document().actor().type()), LinkedHashMap::new, Collectors.toList()));
        List<SlackMessage> out = new ArrayList<>();
        for (List<Notice.Alert> group : byActor.values()) {
            if (group.size() <= threshold) {
                group.forEach(i -> out.add(new SlackMessage(SlackRenderer.render(i.document()), List.of(i.id()))));
                continue;
            }
            List<Notice.Alert> sorted = new ArrayList<>(group);
            // Most severe first; within a severity, in the order the calls were made.
            sorted.sort(Comparator.comparing((Notice.Alert i) -> i.document().level())
                    .thenComparing(i -> i.document().event().time().orElse("")));
            Notice.Alert worst = sorted.get(0);
            out.add(new SlackMessage(SlackRenderer.render(worst.document()), List.of(worst.id())));
            List<Notice.Alert> rest = sorted.subList(1, sorted.size());
            out.add(new SlackMessage(digest(worst.document(), rest, group.size()),
                    rest.stream().map(Notice.Alert::id).toList()));
        }
        return out;
    }

    /**
     * One message listing {@code rest}, the alerts of a burst other than the one posted in full, in the alerts' own
     * style and within one screen: the most severe {@value #DIGEST_LINES} one line each, the others counted by
     * severity and event (each is in its own e-mail and in the JSON on the topic).
     */
    static String digest(AlertDocument shown, List<Notice.Alert> rest, int total) {
        List<AlertDocument> alerts = rest.stream().map(Notice.Alert::document).toList();
        Severity worst = alerts.stream().map(AlertDocument::level).min(Comparator.naturalOrder()).orElse(Severity.INFO);
        String actor = shown.actor().display();
        List<String> times = new ArrayList<>();
        rest.forEach(i -> i.document().event().time().ifPresent(times::add));
        shown.event().time().ifPresent(times::add);
        times.sort(Comparator.naturalOrder());
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(SlackBlocks.header(worst.emoji() + " " + worst + " · Burst: " + rest.size() + " more IAM alert"
                + (rest.size() == 1 ? "" : "s") + " by " + actor));
        List<String> facts = new ArrayList<>();
        facts.add("*Who:* " + Mrkdwn.code(actor));
        facts.add("*When:* " + (times.isEmpty() ? "unknown" : Mrkdwn.escape(times.get(0))
                + (times.size() > 1 ? " – " + Mrkdwn.escape(times.get(times.size() - 1)) : "")));
        facts.add("*Changes with findings:* " + total + ", the most severe posted in full above");
        facts.add("*Listed here:* " + rest.size() + " (" + counts(alerts) + ")");
        blocks.add(SlackBlocks.fields(facts));
        blocks.add(SlackBlocks.divider());
        StringBuilder section = new StringBuilder();
        int listed = 0;
        for (AlertDocument a : alerts) {
            if (listed == DIGEST_LINES) {
                break;
            }
            String line = line(a);
            if (section.length() + line.length() + 1 > SlackBlocks.SHOW_MORE) {
                blocks.add(SlackBlocks.section(section.toString()));
                section.setLength(0);
            }
            section.append(section.length() == 0 ? "" : "\n").append(line);
            listed++;
        }
        if (section.length() > 0) {
            blocks.add(SlackBlocks.section(section.toString()));
        }
        if (listed < alerts.size()) {
            List<AlertDocument> others = alerts.subList(listed, alerts.size());
            Map<String, Long> byEvent = others.stream().collect(Collectors.groupingBy(a -> a.event().name(),
                    LinkedHashMap::new, Collectors.counting()));
            String events = byEvent.entrySet().stream().limit(4).map(x -> Mrkdwn.code(x.getKey()) + " ×" + x.getValue())
                    .collect(Collectors.joining(", ")) + (byEvent.size() > 4 ? ", …" : "");
            blocks.add(SlackBlocks.section(Mrkdwn.cut("_and " + others.size() + " more (" + counts(others) + "; "
                    + events + ")_", SlackBlocks.SHOW_MORE)));
        }
        blocks.add(SlackBlocks.context("Every alert of the burst is also in its own e-mail and in the JSON on the topic."));
        return SlackBlocks.message(Mrkdwn.escape(worst + ": " + rest.size() + " more IAM alerts by " + actor,
                SlackBlocks.PREVIEW_MAX), blocks);
    }

    private static String counts(List<AlertDocument> alerts) {
        return SlackRenderer.countBySeverity(alerts).entrySet().stream()
                .map(x -> x.getValue() + " " + x.getKey()).collect(Collectors.joining(", "));
    }

    /** {@code :red_circle: *HIGH* `PutRolePolicy` · role `app` · Administrator access `ADMIN_ACCESS` (+2) · <link|event>}. */
    static String line(AlertDocument a) {
        Severity s = a.level();
        Optional<AlertDocument.Finding> first = a.findings().stream().findFirst();
        int more = Math.max(0, a.findings().size() - 1) + (int) SlackRenderer.hidden(a);
        TargetParts parts = TargetParts.of(a.target().map(t -> Mrkdwn.cut(t, 200)));
        String where = parts.principal().or(parts::object).map(p -> " · " + p.mrkdwn()).orElse("");
        ConsoleLinks.Link ct = ConsoleLinks.cloudTrail(a);
        String link = " · " + Mrkdwn.link(ct.url(), "event");
        // Cut before the link is added, so a cut never breaks the link's markup.
        return Mrkdwn.cut(s.emoji() + " *" + s + "* " + Mrkdwn.code(a.event().name()) + where
                + first.map(f -> " · " + Mrkdwn.escape(f.title(), 150) + " " + Mrkdwn.code(f.ruleId())).orElse("")
                + (more > 0 ? " (+" + more + ")" : ""), Math.max(100, DIGEST_LINE_MAX - link.length())) + link;
    }
}
