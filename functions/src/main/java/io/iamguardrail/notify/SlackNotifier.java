package io.iamguardrail.notify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Slack through an incoming webhook: Block Kit messages ({@link SlackRenderer}), bursts grouped by actor
 * ({@link BurstPlan}), the audit summary on its own ({@link AuditSummarySlack}). A webhook that Slack refuses for
 * good has its cached URL dropped, so a rotated secret is read again.
 */
public final class SlackNotifier implements Notifier {

    private final WebhookSecret secret;
    private final WebhookClient client;
    private final int burstThreshold;

    public SlackNotifier(WebhookSecret secret, WebhookClient client, int burstThreshold) {
        if (burstThreshold < 1) {
            throw new IllegalArgumentException("expected a burst threshold of at least 1 but found " + burstThreshold);
        }
        this.secret = secret;
        this.client = client;
        this.burstThreshold = burstThreshold;
    }

    /**
     * From the function's environment: {@code SLACK_ALLOWED_HOSTS} (optional, comma-separated hosts allowed besides
     * hooks.slack.com, https only unless {@code SLACK_ALLOW_INSECURE_HTTP=true}) and {@code BURST_THRESHOLD}
     * (optional, alerts of one actor in one batch beyond which a digest is posted; default 3).
     */
    public static SlackNotifier fromEnvironment(Map<String, String> env, WebhookSecret secret) {
        Set<String> hosts = Arrays.stream(env.getOrDefault("SLACK_ALLOWED_HOSTS", "").split(","))
                .map(String::trim).filter(h -> !h.isEmpty()).collect(Collectors.toSet());
        int threshold = BurstPlan.DEFAULT_THRESHOLD;
        String t = env.get("BURST_THRESHOLD");
        if (t != null && !t.isBlank()) {
            try {
                threshold = Integer.parseInt(t.trim());
            } catch (NumberFormatException e) {
                throw new IllegalStateException("expected BURST_THRESHOLD to be a whole number but found `" + t + "`");
            }
        }
        String insecure = env.getOrDefault("SLACK_ALLOW_INSECURE_HTTP", "").trim();
        if (!insecure.isEmpty() && !insecure.equals("true") && !insecure.equals("false")) {
            throw new IllegalStateException("expected SLACK_ALLOW_INSECURE_HTTP to be true or false but found `" + insecure + "`");
        }
        return new SlackNotifier(secret, WebhookClient.slack(hosts, insecure.equals("true")), threshold);
    }

    @Override
    public String name() {
        return "Slack";
    }

    @Override
    public Result deliver(List<Notice> notices) {
        List<Notice.Alert> alerts = new ArrayList<>();
        List<SlackMessage> others = new ArrayList<>();
        for (Notice n : notices) {
            if (n instanceof Notice.Alert a) {
                alerts.add(a);
            } else if (n instanceof Notice.AuditSummary s) {
                others.add(new SlackMessage(AuditSummarySlack.render(s.summary()), List.of(s.id())));
            }
        }
        if (alerts.isEmpty() && others.isEmpty()) {
            return new Result(0, List.of(), List.of());
        }
        Set<String> failed = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        int posted = 0;
        int retries = 0;
        String url = secret.url();
        List<SlackMessage> plan = new ArrayList<>(BurstPlan.plan(alerts, burstThreshold));
        plan.addAll(others);
        for (SlackMessage post : plan) {
            try {
                retries += client.post(url, post.json()).attempts() - 1;
                posted++;
            } catch (WebhookException e) {
                if (e.permanent()) {
                    secret.invalidate();
                }
                failed.addAll(post.alertIds());
                errors.add("alerts " + post.alertIds() + ": " + e.getMessage());
            }
        }
        return new Result(posted, new ArrayList<>(failed), errors, retries);
    }
}
