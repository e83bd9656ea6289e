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
 * larger group is a burst: its most severe alert is posted in full, and one digest message lists every other alert
 * of the group, one line each (severity, event, target, first finding, CloudTrail link), with counts by severity.
 *
 * <p>Why this design: the window and the grouping cost no state and no extra service, and nothing is dropped: every
 * alert of a burst is either posted in full or listed in the digest (beyond Slack's 50 blocks the rest are counted,
 * and each is still in its own e-mail and in the JSON on the topic). A failed post fails exactly the alerts it
 * carries, which the queue delivers again (then to its dead-letter queue). A direct SNS subscription (one alert per
 * invocation) works too, without burst grouping.
 */
public final class BurstPlan {

    /** Alerts of one actor beyond which a group is a burst. */
    public static final int DEFAULT_THRESHOLD = 3;
    static final int DIGEST_LINE_MAX = 500;
    /** Sections a digest may use: 50 blocks less the header, the summary and the overflow line. */
    static final int DIGEST_SECTIONS = 46;

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

    /** One message listing {@code rest}, the alerts of a burst other than the one posted in full. */
    static String digest(AlertDocument shown, List<Notice.Alert> rest, int total) {
        List<AlertDocument> alerts = rest.stream().map(Notice.Alert::document).toList();
        Severity worst = alerts.stream().map(AlertDocument::level).min(Comparator.naturalOrder()).orElse(Severity.INFO);
        String actor = shown.actor().display();
        List<String> times = new ArrayList<>();
        rest.forEach(i -> i.document().event().time().ifPresent(times::add));
        shown.event().time().ifPresent(times::add);
        times.sort(Comparator.naturalOrder());
        String window = times.isEmpty() ? "" : " between " + Mrkdwn.escape(times.get(0)) + " and "
                + Mrkdwn.escape(times.get(times.size() - 1));
        String counts = SlackRenderer.countBySeverity(alerts).entrySet().stream()
                .map(x -> x.getValue() + " " + x.getKey()).collect(Collectors.joining(", "));
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(SlackRenderer.header(worst.emoji() + " Burst: " + rest.size() + " more IAM alert"
                + (rest.size() == 1 ? "" : "s") + " by " + actor));
        blocks.add(SlackRenderer.section(Mrkdwn.code(actor) + " made " + total + " IAM changes with findings" + window
                + ". The most severe is posted in full above; the other " + rest.size() + " (" + counts
                + ") are listed here, one line each. Every one is also in its own e-mail alert and in the JSON on the topic."));
        StringBuilder section = new StringBuilder();
        int listed = 0;
        for (AlertDocument a : alerts) {
            String line = Mrkdwn.cut(line(a), DIGEST_LINE_MAX);
            if (section.length() + line.length() + 1 > SlackRenderer.SECTION_MAX) {
                if (blocks.size() - 2 == DIGEST_SECTIONS - 1) {
                    break;
                }
                blocks.add(SlackRenderer.section(section.toString()));
                section.setLength(0);
            }
            section.append(section.length() == 0 ? "" : "\n").append(line);
            listed++;
        }
        if (section.length() > 0) {
            blocks.add(SlackRenderer.section(section.toString()));
        }
        if (listed < alerts.size()) {
            blocks.add(SlackRenderer.section("_and " + (alerts.size() - listed) + " more not listed here (Slack's size"
                    + " limit): each is in its own e-mail alert and in the JSON on the topic_"));
        }
        return SlackRenderer.message(worst, Mrkdwn.escape(worst + ": " + rest.size() + " more IAM alerts by " + actor,
                SlackRenderer.PREVIEW_MAX), blocks);
    }

    /** {@code :red_circle: HIGH `PutRolePolicy` on `role app`: Administrator access (+2) · <link|event>}. */
    static String line(AlertDocument a) {
        Severity s = a.level();
        Optional<AlertDocument.Finding> first = a.findings().stream().findFirst();
        int more = Math.max(0, a.findings().size() - 1)
                + (int) a.findingsNotShown().values().stream().mapToLong(Long::longValue).sum();
        ConsoleLinks.Link ct = ConsoleLinks.cloudTrail(a);
        return s.emoji() + " *" + s + "* " + Mrkdwn.code(a.event().name())
                + a.target().map(t -> " on " + Mrkdwn.code(Mrkdwn.cut(t, 200))).orElse("")
                + first.map(f -> ": " + Mrkdwn.escape(f.title(), 150) + " " + Mrkdwn.code(f.ruleId())).orElse("")
                + (more > 0 ? " (+" + more + ")" : "")
                + " · " + Mrkdwn.link(ct.url(), "event");
    }
}
