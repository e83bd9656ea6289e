package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * An organization in moto, made as a management account would make it: the organization, then member accounts.
 * The calls carry the hub's test credentials (moto keys what it stores by the caller's access key).
 */
public final class Organizations {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    public Organizations(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** The organization's id. */
    public String create() throws IOException, InterruptedException {
        return call("CreateOrganization", "{\"FeatureSet\":\"ALL\"}").path("Organization").path("Id").asText();
    }

    /** A new member account's id. */
    public String createAccount(String name) throws IOException, InterruptedException {
        JsonNode status = call("CreateAccount", JSON.createObjectNode().put("AccountName", name)
                .put("Email", name + "@example.com").toString()).path("CreateAccountStatus");
        return status.path("AccountId").asText();
    }

    private JsonNode call(String operation, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AWSOrganizationsV20161128." + operation)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20261207/us-east-1/organizations/"
                        + "aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("expected Organizations " + operation + " to succeed but it answered "
                    + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
