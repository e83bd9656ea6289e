package io.iamguardrail.invoke;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for AWS that first passes requests through to an emulator and records its answer per
 * operation, then, once {@link #replay()} is called, answers every operation from memory. The cold-start benchmark
 * uses it to separate the guardrail's own time from the emulator's: the same calls, the same answers, round trips
 * of a fraction of a millisecond once {@link #warm(int)} has compiled the stand-in's own code (cold, its first
 * answers took 2-4 ms each, counted against the guardrail).
 */
final class RecordedAws implements AutoCloseable {

    private record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    }

    /** A request as recorded, to be sent again by {@link #warm(int)}. */
    private record Request(String method, String target, Map<String, List<String>> headers, byte[] body) {
    }

    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/");
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "date");

    private final URI emulator;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, Answer> recorded = new ConcurrentHashMap<>();
    private final Map<String, Request> requests = new ConcurrentHashMap<>();
    private volatile boolean replaying;

    RecordedAws(URI emulator) throws IOException {
        this.emulator = emulator;
        // Headers and body are separate writes: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms per call.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now on every operation is answered from memory; one never recorded is a 500 naming it. */
    void replay() {
        replaying = true;
    }

    /** Sends every recorded request to the stand-in {@code rounds} times, so that its answers are warm. */
    void warm(int rounds) throws IOException, InterruptedException {
        for (int i = 0; i < rounds; i++) {
            for (Request r : requests.values()) {
                HttpRequest.Builder request = HttpRequest.newBuilder(endpoint().resolve(r.target()))
                        .method(r.method(), HttpRequest.BodyPublishers.ofByteArray(r.body()));
                r.headers().forEach((k, values) -> {
                    if (!HOP_BY_HOP.contains(k.toLowerCase())) {
                        values.forEach(v -> request.header(k, v));
                    }
                });
                client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String operation = operation(exchange, body);
            Answer answer;
            if (replaying) {
                answer = recorded.getOrDefault(operation, new Answer(500, Map.of(),
                        ("no answer recorded for " + operation).getBytes(StandardCharsets.UTF_8)));
            } else {
                answer = forward(exchange, body);
                if (answer.status() < 300) {
                    recorded.put(operation, answer);
                    requests.put(operation, new Request(exchange.getRequestMethod(),
                            exchange.getRequestURI().toString(), Map.copyOf(exchange.getRequestHeaders()), body));
                }
            }
            answer.headers().forEach((k, v) -> {
                if (!HOP_BY_HOP.contains(k.toLowerCase())) {
                    exchange.getResponseHeaders().put(k, v);
                }
            });
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    private Answer forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(emulator.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((k, values) -> {
            if (!HOP_BY_HOP.contains(k.toLowerCase())) {
                values.forEach(v -> request.header(k, v));
            }
        });
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to " + emulator, e);
        }
    }

    /** service:operation, from the signature's credential scope and the protocol's way of naming the action. */
    private static String operation(HttpExchange exchange, byte[] body) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Matcher scope = SCOPE.matcher(authorization == null ? "" : authorization);
        String service = scope.find() ? scope.group(1) : "unsigned";
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            return service + ":" + target;
        }
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.startsWith("Action=")) {
                return service + ":" + URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
            }
        }
        return service + ":" + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
