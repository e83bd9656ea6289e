package io.iamguardrail.handlers;

import com.sun.net.httpserver.HttpServer;
import io.iamguardrail.notify.WebhookSecret;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slack for an offline invocation of the notifier: a webhook on loopback that logs each message it receives and
 * answers 200, so the real notifier (burst grouping, rendering, the webhook client and its host check) runs and
 * nothing leaves the machine.
 */
final class SlackStandIn implements WebhookSecret, AutoCloseable {

    private final HttpServer server;

    private SlackStandIn(HttpServer server) {
        this.server = server;
    }

    static SlackStandIn start(PrintStream log) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    log.println("{\"level\":\"INFO\",\"offline\":\"not posted to Slack\",\"slack\":" + body + "}");
                    byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, ok.length);
                    out.write(ok);
                }
            });
            server.start();
            return new SlackStandIn(server);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the loopback Slack stand-in", e);
        }
    }

    @Override
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort()
                + "/services/offline";
    }

    /**
     * The function's environment with the stand-in's host allowed besides hooks.slack.com, over plain http: it is on
     * loopback, in this process, and receives nothing that leaves the machine.
     */
    Map<String, String> environment(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>(env);
        String hosts = env.getOrDefault("SLACK_ALLOWED_HOSTS", "");
        out.put("SLACK_ALLOWED_HOSTS", (hosts.isBlank() ? "" : hosts + ",") + server.getAddress().getAddress().getHostAddress());
        out.put("SLACK_ALLOW_INSECURE_HTTP", "true");
        // Offline the stand-in is the webhook whatever the secret: Slack is configured even without one.
        if (env.getOrDefault("SLACK_WEBHOOK_SECRET_ARN", "").isBlank()) {
            out.put("SLACK_WEBHOOK_SECRET_ARN", "offline: the Slack stand-in");
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
