package io.iamguardrail.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Posts JSON to a Slack incoming webhook, with the JDK's HTTP client.
 *
 * <ul>
 *   <li>Only allow-listed hosts: {@code hooks.slack.com} by default, plus hosts added explicitly (a proxy, a local
 *       stand-in). Checked before any connection, so a webhook URL swapped in the secret cannot send alerts elsewhere.
 *       HTTPS is required everywhere; plain http only for an added host, and only with the explicit insecure flag
 *       ({@link #allowingInsecureHttpForAddedHosts()}): an added host is no reason to send alerts in clear text.</li>
 *   <li>Retries: HTTP 429 after the {@code Retry-After} seconds Slack sends (capped), 5xx and connection errors with
 *       exponential backoff. Any other answer is permanent. When the attempts run out the exception propagates: the
 *       invocation fails and SNS/SQS redelivery and the dead-letter queue keep the alert.</li>
 *   <li>The URL is never written in an error or a log: its path is the secret.</li>
 * </ul>
 */
public final class WebhookClient {

    public static final String SLACK_HOST = "hooks.slack.com";

    /** How long to wait between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** The outcome of a delivered post. */
    public record Delivery(int status, int attempts) {
    }

    private final HttpClient http;
    private final Set<String> allowedHosts;
    private final Set<String> addedHosts;
    private final boolean insecureHttpForAddedHosts;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxWait;
    private final Duration requestTimeout;
    private final Sleeper sleeper;

    /**
     * The production client: hooks.slack.com plus {@code extraHosts}, 4 attempts, backoff from 1 s, waits up to 30 s;
     * {@code insecureHttp} accepts plain http for the added hosts (never for hooks.slack.com).
     */
    public static WebhookClient slack(Set<String> extraHosts, boolean insecureHttp) {
        // Never follow a redirect: it could lead the message to a host the allow-list does not hold.
        WebhookClient c = new WebhookClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build(), extraHosts,
                4, Duration.ofSeconds(1), Duration.ofSeconds(30), d -> Thread.sleep(d.toMillis()));
        return insecureHttp ? c.allowingInsecureHttpForAddedHosts() : c;
    }

    public WebhookClient(HttpClient http, Set<String> extraHosts, int maxAttempts, Duration firstBackoff,
                         Duration maxWait, Sleeper sleeper) {
        this(http, extraHosts, maxAttempts, firstBackoff, maxWait, sleeper, Duration.ofSeconds(10));
    }

    /** @param requestTimeout how long one attempt may wait for Slack's answer before it counts as failed and is retried */
    public WebhookClient(HttpClient http, Set<String> extraHosts, int maxAttempts, Duration firstBackoff,
                         Duration maxWait, Sleeper sleeper, Duration requestTimeout) {
        this(http, extraHosts, maxAttempts, firstBackoff, maxWait, sleeper, requestTimeout, false);
    }

    private WebhookClient(HttpClient http, Set<String> extraHosts, int maxAttempts, Duration firstBackoff,
                          Duration maxWait, Sleeper sleeper, Duration requestTimeout, boolean insecureHttpForAddedHosts) {
        this.http = http;
        this.insecureHttpForAddedHosts = insecureHttpForAddedHosts;
        this.requestTimeout = requestTimeout;
        this.addedHosts = Set.copyOf(extraHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList());
        Set<String> hosts = new LinkedHashSet<>();
        hosts.add(SLACK_HOST);
        hosts.addAll(addedHosts);
        this.allowedHosts = Set.copyOf(hosts);
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.maxWait = maxWait;
        this.sleeper = sleeper;
    }

    /** This client, also accepting plain http for the added hosts: the explicit insecure flag, for a local stand-in. */
    public WebhookClient allowingInsecureHttpForAddedHosts() {
        return new WebhookClient(http, addedHosts, maxAttempts, firstBackoff, maxWait, sleeper, requestTimeout, true);
    }

    /**
     * Why {@code url} may not be used, or empty when it may: the check the post makes before connecting, offered on
     * its own so that a command line can refuse the option up front.
     */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return Optional.of("expected a webhook URL such as https://hooks.slack.com/services/... but it is not a valid URL");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!allowedHosts.contains(host)) {
            return Optional.of("expected a webhook on " + String.join(" or ", allowedHosts) + " but the URL's host is `"
                    + host + "` (add a host explicitly to allow it)");
        }
        boolean insecureAllowed = scheme.equals("http") && addedHosts.contains(host) && insecureHttpForAddedHosts;
        if (!scheme.equals("https") && !insecureAllowed) {
            boolean couldBeAllowed = scheme.equals("http") && addedHosts.contains(host);
            return Optional.of("expected an https webhook URL for " + host + " but found scheme `" + scheme + "`"
                    + (couldBeAllowed ? " (plain http to an added host needs the explicit insecure flag:"
                    + " SLACK_ALLOW_INSECURE_HTTP=true, or --slack-allow-insecure-http)" : ""));
        }
        if (uri.getUserInfo() != null) {
            return Optional.of("expected a webhook URL without user information but found one");
        }
        return Optional.empty();
    }

    /** Posts {@code json}; returns the delivery or throws {@link WebhookException} once retries are exhausted. */
    public Delivery post(String url, String json) {
        Optional<String> refused = refusal(url);
        if (refused.isPresent()) {
            throw new WebhookException("refused to post the Slack message: " + refused.get(), true, null);
        }
        URI uri = URI.create(url.trim());
        String where = uri.getHost();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        String last = "";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Duration wait;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new Delivery(status, attempt);
                }
                last = "HTTP " + status + body(response.body());
                if (status == 429) {
                    wait = retryAfter(response).orElse(backoff(attempt));
                } else if (status >= 500) {
                    wait = backoff(attempt);
                } else {
                    throw new WebhookException("the Slack webhook on " + where + " refused the message: " + last
                            + " (permanent: check the webhook in the secret and the message)", true, null);
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().replace(uri.toString(), where));
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WebhookException("interrupted while posting to " + where, false, e);
            }
            if (attempt < maxAttempts) {
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WebhookException("interrupted while waiting to retry " + where, false, e);
                }
            }
        }
        throw new WebhookException("the Slack webhook on " + where + " did not take the message after " + maxAttempts
                + " attempts; last answer: " + last, false, null);
    }

    private Duration backoff(int attempt) {
        Duration d = firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 10));
        return d.compareTo(maxWait) > 0 ? maxWait : d;
    }

    /** Slack's {@code Retry-After} is in seconds; a wait beyond {@code maxWait} is capped (the next attempt may fail again). */
    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(header.get().trim());
            Duration d = Duration.ofSeconds(Math.max(0, seconds));
            return Optional.of(d.compareTo(maxWait) > 0 ? maxWait : d);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String body(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String b = body.strip();
        return " `" + (b.length() > 200 ? b.substring(0, 200) + "..." : b) + "`";
    }
}
