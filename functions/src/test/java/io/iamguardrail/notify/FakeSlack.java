package io.iamguardrail.notify;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A real HTTP server on loopback standing in for Slack's incoming webhook: records each request, answers from a
 * script of responses (then 200 {@code ok}).
 */
public final class FakeSlack implements AutoCloseable {

    /** One scripted answer. */
    public record Answer(int status, String body, Map<String, String> headers) {
        public static Answer ok() {
            return new Answer(200, "ok", Map.of());
        }
    }

    /** One request as received. */
    public record Request(String path, String contentType, String body) {
    }

    static final int DROP = -1;
    static final int STALL = -2;

    private final HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    public FakeSlack() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), new String(body, StandardCharsets.UTF_8)));
            Answer a;
            synchronized (script) {
                a = script.isEmpty() ? Answer.ok() : script.poll();
            }
            if (a.status() == DROP) {
                exchange.close(); // the connection ends without an answer
                return;
            }
            if (a.status() == STALL) {
                try {
                    Thread.sleep(Long.parseLong(a.body()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                a = Answer.ok();
            }
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        // One thread per request: a stalled answer must not hold up the retry that follows it.
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread th = new Thread(r, "fake-slack");
            th.setDaemon(true);
            return th;
        }));
        server.start();
    }

    public FakeSlack then(int status, String body, Map<String, String> headers) {
        synchronized (script) {
            script.add(new Answer(status, body, headers));
        }
        return this;
    }

    /** The next request's connection is closed without an answer. */
    public FakeSlack thenDrop() {
        return then(DROP, "");
    }

    /** The next request is answered 200, but only after {@code millis}. */
    public FakeSlack thenStall(long millis) {
        return then(STALL, Long.toString(millis));
    }

    public FakeSlack then(int status, String body) {
        return then(status, body, Map.of());
    }

    /** The webhook URL, with a secret-looking path as Slack's have. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0000/B0000/s3cr3tT0k3n";
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
