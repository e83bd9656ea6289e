package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.iamguardrail.e2e.Fixtures.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code replay --slack-webhook-url}: the packaged CLI posts each alert's Slack message to a loopback server standing
 * in for Slack, as a user checks the integration from a laptop before deploying.
 */
class ReplaySlackTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    HttpServer server;
    final List<String> posts = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger status = new AtomicInteger(200);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/services/", exchange -> {
            posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int s = status.get();
            byte[] body = (s == 200 ? "ok" : "invalid_token").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(s, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0/B0/s3cr3t";
    }

    @Test
    void eachAlertOfTheReplayIsPostedAsBlockKit() throws Exception {
        Fixtures.write(dir, "attach-admin.json", ReplayCommandTest.ATTACH_ADMIN);
        Cli.Result r = Cli.run(dir, "replay", "--slack-webhook-url", url(), "--slack-allow-host", "127.0.0.1",
                "--slack-allow-insecure-http", "attach-admin.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).contains("  slack: posted (HTTP 200, 1 attempt)");
        assertThat(r.out() + r.err()).doesNotContain("s3cr3t");
        assertThat(posts).hasSize(1);
        JsonNode message = JSON.readTree(posts.get(0));
        assertThat(message.get("text").asText()).startsWith("CRITICAL: alice AttachRolePolicy on role deploy");
        assertThat(message.has("attachments")).as("top-level blocks, no legacy attachment").isFalse();
        JsonNode blocks = message.get("blocks");
        assertThat(blocks.get(0).get("text").get("text").asText()).startsWith(":rotating_light: CRITICAL · ");
        assertThat(blocks.toString()).contains("`ADMIN_ACCESS`", "*Fix:*", "*Principal:* role `deploy`", "roles/details/deploy",
                "cloudtrail/home?region=us-east-1#/events/e1a1b2c3-0000-4000-8000-000000000001");
    }

    @Test
    void theSlackFormatPrintsEachPayloadWithABuilderLinkAndPostsNothing() throws Exception {
        Fixtures.write(dir, "attach-admin.json", ReplayCommandTest.ATTACH_ADMIN);
        Cli.Result r = Cli.run(dir, "replay", "--format", "slack", "attach-admin.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.get("kind").asText()).isEqualTo("alert");
        assertThat(line.get("payload").get("blocks").get(0).get("type").asText()).isEqualTo("header");
        assertThat(line.get("blockKitBuilder").asText()).startsWith("https://app.slack.com/block-kit-builder/#%7B%22blocks%22");
        assertThat(line.get("estimatedHeightPx").asInt()).isPositive().isLessThanOrEqualTo(900);
        assertThat(posts).isEmpty();
    }

    @Test
    void anAddedHostOverPlainHttpIsRefusedUpFrontWithoutTheInsecureFlag() throws Exception {
        Fixtures.write(dir, "attach-admin.json", ReplayCommandTest.ATTACH_ADMIN);
        Cli.Result r = Cli.run(dir, "replay", "--slack-webhook-url", url(), "--slack-allow-host", "127.0.0.1",
                "attach-admin.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("iam-guardrail: --slack-webhook-url: expected an https webhook URL for 127.0.0.1"
                + " but found scheme `http` (plain http to an added host needs the explicit insecure flag");
        assertThat(posts).as("nothing left in clear text").isEmpty();
    }

    @Test
    void theJsonOutputSaysWhatBecameOfEachSlackMessage() throws Exception {
        Fixtures.write(dir, "attach-admin.json", ReplayCommandTest.ATTACH_ADMIN);
        Cli.Result r = Cli.run(dir, "replay", "--format", "json", "--slack-webhook-url", url(), "--slack-allow-host",
                "127.0.0.1", "--slack-allow-insecure-http", "attach-admin.json");
        assertThat(r.json().get("events").get(0).get("slack").asText()).isEqualTo("posted (HTTP 200, 1 attempt)");
    }

    @Test
    void aRefusedWebhookIsAnErrorWithTheReasonAndNoSecret() throws Exception {
        status.set(403);
        Fixtures.write(dir, "attach-admin.json", ReplayCommandTest.ATTACH_ADMIN);
        Cli.Result r = Cli.run(dir, "replay", "--slack-webhook-url", url(), "--slack-allow-host", "127.0.0.1",
                "--slack-allow-insecure-http", "attach-admin.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("iam-guardrail: attach-admin.json: could not post the Slack message: the Slack"
                + " webhook on 127.0.0.1 refused the message: HTTP 403 `invalid_token`");
        assertThat(r.out() + r.err()).doesNotContain("s3cr3t");
    }

    @Test
    void aHostThatIsNotSlackIsRefusedBeforeAnyEventOrConnection() throws Exception {
        Fixtures.write(dir, "attach-admin.json", ReplayCommandTest.ATTACH_ADMIN);
        Cli.Result r = Cli.run(dir, "replay", "--slack-webhook-url", url(), "attach-admin.json");
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("iam-guardrail: --slack-webhook-url: expected a webhook on hooks.slack.com"
                + " but the URL's host is `127.0.0.1` (add a host explicitly to allow it)");
        assertThat(r.out()).isEmpty();
        assertThat(posts).isEmpty();
    }
}
