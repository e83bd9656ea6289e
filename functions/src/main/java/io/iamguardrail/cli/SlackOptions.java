package io.iamguardrail.cli;

import io.iamguardrail.notify.AlertDocument;
import io.iamguardrail.notify.BurstPlan;
import io.iamguardrail.notify.SlackRenderer;
import io.iamguardrail.notify.WebhookClient;
import io.iamguardrail.notify.WebhookException;
import io.iamguardrail.pipeline.Alert;
import io.iamguardrail.pipeline.GuardrailService;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** {@code replay}'s options for posting each alert to a Slack webhook, checked before any event is replayed. */
final class SlackOptions {

    @Option(names = "--slack-webhook-url", paramLabel = "URL",
            description = "post the Slack message of each alert to this incoming webhook (hooks.slack.com unless --slack-allow-host)")
    String url;

    @Option(names = "--slack-allow-host", paramLabel = "HOST",
            description = "also accept this webhook host, e.g. a proxy or 127.0.0.1 for a local stand-in (https only)")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--slack-allow-insecure-http",
            description = "accept plain http for the hosts of --slack-allow-host (a local stand-in); never for hooks.slack.com")
    boolean insecureHttp;

    @Option(names = "--burst-threshold", paramLabel = "N", defaultValue = "" + BurstPlan.DEFAULT_THRESHOLD,
            description = "with --format slack: alerts of one actor beyond which a digest is posted, as the notifier's"
                    + " BURST_THRESHOLD (default: ${DEFAULT-VALUE})")
    int burstThreshold;

    /** The notifier's burst threshold to preview with, checked. */
    int burstThreshold() throws UsageException {
        if (burstThreshold < 1) {
            throw new UsageException("--burst-threshold: expected at least 1 but found " + burstThreshold);
        }
        return burstThreshold;
    }

    /** The webhook and client for --slack-webhook-url, or null when none is asked for. */
    Target target() throws UsageException {
        if (url == null) {
            if (!allowHosts.isEmpty() || insecureHttp) {
                throw new UsageException((insecureHttp ? "--slack-allow-insecure-http" : "--slack-allow-host")
                        + " needs --slack-webhook-url");
            }
            return null;
        }
        if (insecureHttp && allowHosts.isEmpty()) {
            throw new UsageException("--slack-allow-insecure-http applies only to hosts added with --slack-allow-host, and none is");
        }
        WebhookClient client = WebhookClient.slack(new HashSet<>(allowHosts), insecureHttp);
        Optional<String> refused = client.refusal(url);
        if (refused.isPresent()) {
            throw new UsageException("--slack-webhook-url: " + refused.get());
        }
        return new Target(url, client);
    }

    /** A checked webhook and its client. */
    record Target(String url, WebhookClient client) {
        String post(GuardrailService.Outcome outcome, String source, PrintWriter err) {
            Optional<AlertDocument> alert = outcome.alert().flatMap(Alert::document);
            if (alert.isEmpty()) {
                return "nothing to post (no alert)";
            }
            try {
                WebhookClient.Delivery d = client.post(url, SlackRenderer.render(alert.get()));
                return "posted (HTTP " + d.status() + ", " + d.attempts() + (d.attempts() == 1 ? " attempt)" : " attempts)");
            } catch (WebhookException | IllegalArgumentException e) {
                err.println("iam-guardrail: " + source + ": could not post the Slack message: " + e.getMessage());
                return "failed: " + e.getMessage();
            }
        }
    }
}
