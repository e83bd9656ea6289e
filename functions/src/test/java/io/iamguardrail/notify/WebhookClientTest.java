package io.iamguardrail.notify;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class WebhookClientTest {

    FakeSlack slack;
    final List<Duration> waits = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlack();
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    /** A client that allows the loopback stand-in (plain http, explicitly) and records its waits instead of sleeping. */
    WebhookClient client(Set<String> hosts) {
        return new WebhookClient(HttpClient.newHttpClient(), hosts, 4, Duration.ofSeconds(1), Duration.ofSeconds(30), waits::add)
                .allowingInsecureHttpForAddedHosts();
    }

    @Test
    void postsTheJsonOnce() {
        WebhookClient.Delivery d = client(Set.of("127.0.0.1")).post(slack.url(), "{\"text\":\"hi\"}");
        assertThat(d).isEqualTo(new WebhookClient.Delivery(200, 1));
        assertThat(slack.requests()).containsExactly(new FakeSlack.Request("/services/T0000/B0000/s3cr3tT0k3n",
                "application/json; charset=utf-8", "{\"text\":\"hi\"}"));
        assertThat(waits).isEmpty();
    }

    @Test
    void aRateLimitIsRetriedAfterTheSecondsSlackAsks() {
        slack.then(429, "rate_limited", Map.of("Retry-After", "7"));
        WebhookClient.Delivery d = client(Set.of("127.0.0.1")).post(slack.url(), "{}");
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(7));
        assertThat(slack.requests()).hasSize(2);
    }

    @Test
    void aRetryAfterBeyondTheCapWaitsTheCap() {
        slack.then(429, "rate_limited", Map.of("Retry-After", "3600"));
        client(Set.of("127.0.0.1")).post(slack.url(), "{}");
        assertThat(waits).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void serverErrorsAreRetriedWithExponentialBackoff() {
        slack.then(500, "rollup_error").then(503, "");
        WebhookClient.Delivery d = client(Set.of("127.0.0.1")).post(slack.url(), "{}");
        assertThat(d).isEqualTo(new WebhookClient.Delivery(200, 3));
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void aDroppedConnectionAndASlackThatDoesNotAnswerInTimeAreRetried() {
        slack.thenDrop().thenStall(2_000);
        WebhookClient client = new WebhookClient(HttpClient.newHttpClient(), Set.of("127.0.0.1"), 4, Duration.ofSeconds(1),
                Duration.ofSeconds(30), waits::add, Duration.ofMillis(300)).allowingInsecureHttpForAddedHosts();

        WebhookClient.Delivery d = client.post(slack.url(), "{}");

        assertThat(d).isEqualTo(new WebhookClient.Delivery(200, 3));
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void aPermanentRefusalFailsAtOnceWithoutTheSecretPath() {
        slack.then(404, "no_service");
        WebhookException e = catchThrowableOfType(WebhookException.class,
                () -> client(Set.of("127.0.0.1")).post(slack.url(), "{}"));
        assertThat(e.permanent()).isTrue();
        assertThat(e).hasMessage("the Slack webhook on 127.0.0.1 refused the message: HTTP 404 `no_service` (permanent:"
                + " check the webhook in the secret and the message)");
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void serverErrorsThatDoNotStopFailAfterTheLastAttempt() {
        for (int i = 0; i < 4; i++) {
            slack.then(500, "rollup_error");
        }
        WebhookException e = catchThrowableOfType(WebhookException.class,
                () -> client(Set.of("127.0.0.1")).post(slack.url(), "{}"));
        assertThat(e.permanent()).isFalse();
        assertThat(e.getMessage()).isEqualTo("the Slack webhook on 127.0.0.1 did not take the message after 4 attempts;"
                + " last answer: HTTP 500 `rollup_error`").doesNotContain("s3cr3t");
        assertThat(slack.requests()).hasSize(4);
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void aRedirectIsNotFollowed() {
        slack.then(302, "", Map.of("Location", "https://evil.example/collect"));
        WebhookException e = catchThrowableOfType(WebhookException.class,
                () -> WebhookClient.slack(Set.of("127.0.0.1"), true).post(slack.url(), "{}"));
        assertThat(e.permanent()).isTrue();
        assertThat(e.getMessage()).contains("HTTP 302");
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void aHostThatIsNotAllowedIsRefusedBeforeAnyConnection() {
        assertThatThrownBy(() -> client(Set.of()).post(slack.url(), "{}"))
                .isInstanceOf(WebhookException.class)
                .hasMessage("refused to post the Slack message: expected a webhook on hooks.slack.com but the URL's host is"
                        + " `127.0.0.1` (add a host explicitly to allow it)");
        assertThat(slack.requests()).isEmpty();
    }

    @Test
    void onlySlackOverHttpsIsAcceptedByDefault() {
        WebhookClient c = client(Set.of());
        assertThat(c.refusal("https://hooks.slack.com/services/T/B/x")).isEmpty();
        assertThat(c.refusal("https://hooks.slack.com.evil.example/services/T/B/x")).isPresent();
        assertThat(c.refusal("https://evil.example/?hooks.slack.com")).isPresent();
        assertThat(c.refusal("https://hooks.slack.com@evil.example/services/T/B/x")).isPresent();
        assertThat(c.refusal("http://hooks.slack.com/services/T/B/x")).contains(
                "expected an https webhook URL for hooks.slack.com but found scheme `http`");
        assertThat(c.refusal("not a url at all")).isPresent();
    }

    @Test
    void anAddedHostMustUseHttpsUnlessTheInsecureFlagIsGiven() {
        WebhookClient strict = WebhookClient.slack(Set.of("127.0.0.1", "slack-proxy.internal"), false);
        assertThatThrownBy(() -> strict.post(slack.url(), "{\"text\":\"alert\"}"))
                .isInstanceOf(WebhookException.class)
                .hasMessage("refused to post the Slack message: expected an https webhook URL for 127.0.0.1 but found"
                        + " scheme `http` (plain http to an added host needs the explicit insecure flag:"
                        + " SLACK_ALLOW_INSECURE_HTTP=true, or --slack-allow-insecure-http)");
        assertThat(slack.requests()).as("refused before connecting: nothing went out in clear text").isEmpty();
        assertThat(strict.refusal("https://slack-proxy.internal/services/T/B/x")).isEmpty();
        assertThat(strict.refusal("http://slack-proxy.internal/services/T/B/x")).isPresent();

        WebhookClient insecure = WebhookClient.slack(Set.of("127.0.0.1"), true);
        assertThat(insecure.refusal(slack.url())).isEmpty();
        assertThat(insecure.refusal("http://hooks.slack.com/services/T/B/x")).as("never for Slack itself")
                .contains("expected an https webhook URL for hooks.slack.com but found scheme `http`");
    }
}
