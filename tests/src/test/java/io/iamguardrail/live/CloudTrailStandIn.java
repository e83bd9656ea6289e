package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * CloudTrail's event history on loopback, for what moto does not implement: {@code LookupEvents} by event id, over
 * the real JSON 1.1 protocol the SDK speaks, answering with the records a test says CloudTrail holds.
 */
public final class CloudTrailStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> records = new ConcurrentHashMap<>();
    /** The event ids asked for, in order. */
    public final List<String> lookups = new CopyOnWriteArrayList<>();

    public CloudTrailStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            String target = x.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = JSON.readTree(x.getRequestBody().readAllBytes());
            byte[] body;
            int status = 200;
            if (target == null || !target.endsWith(".LookupEvents")) {
                status = 400;
                body = "{\"__type\":\"UnsupportedOperationException\",\"message\":\"only LookupEvents\"}"
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                String id = request.path("LookupAttributes").path(0).path("AttributeValue").asText();
                lookups.add(id);
                ObjectNode answer = JSON.createObjectNode();
                var events = answer.putArray("Events");
                String record = records.get(id);
                if (record != null) {
                    ObjectNode e = events.addObject();
                    e.put("EventId", id);
                    e.put("EventName", JSON.readTree(record).path("eventName").asText());
                    e.put("CloudTrailEvent", record);
                }
                body = JSON.writeValueAsBytes(answer);
            }
            x.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** CloudTrail holds this record (the {@code detail} of an EventBridge event). */
    public CloudTrailStandIn holds(JsonNode detail) {
        records.put(detail.path("eventID").asText(), detail.toString());
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
