package io.iamguardrail.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.notify.WebhookSecret;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;

/**
 * The Slack webhook URL from Secrets Manager, read once per container and kept in memory. The secret string is the
 * URL itself, or a JSON object with a {@code url} (or {@code webhookUrl}) field. Errors name the secret, never its value.
 */
public final class SecretsManagerWebhookSecret implements WebhookSecret {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretsManagerClient client;
    private final String secretId;
    private volatile String cached;

    public SecretsManagerWebhookSecret(SecretsManagerClient client, String secretId) {
        if (secretId == null || secretId.isBlank()) {
            throw new IllegalStateException("expected the id or ARN of the Secrets Manager secret holding the Slack webhook URL but none is set");
        }
        this.client = client;
        this.secretId = secretId;
    }

    @Override
    public String url() {
        String url = cached;
        if (url == null) {
            url = parse(client.getSecretValue(b -> b.secretId(secretId)).secretString(), secretId);
            cached = url;
        }
        return url;
    }

    @Override
    public void invalidate() {
        cached = null;
    }

    static String parse(String value, String secretId) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("expected secret `" + secretId + "` to hold the Slack webhook URL but its string is empty");
        }
        String v = value.strip();
        if (v.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(v);
                JsonNode url = node.has("url") ? node.get("url") : node.get("webhookUrl");
                if (url != null && url.isTextual() && !url.asText().isBlank()) {
                    return url.asText().strip();
                }
            } catch (IOException e) {
                throw new IllegalStateException("expected secret `" + secretId + "` to hold a URL or JSON with `url` but it is neither");
            }
            throw new IllegalStateException("expected secret `" + secretId + "` to have a `url` field but it has none");
        }
        return v;
    }
}
