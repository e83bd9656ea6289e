package io.iamguardrail.invoke;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API (2018-06-01) on loopback, as much of it as a runtime uses: {@code invocation/next},
 * {@code invocation/{id}/response}, {@code invocation/{id}/error}, {@code init/error}, and the SnapStart pair
 * {@code restore/next} and {@code restore/error}. Events are queued by the test; answers come back as futures.
 */
final class RuntimeApiServer implements AutoCloseable {

    static final String BASE = "/2018-06-01/runtime/";

    /** What the runtime answered for one invocation. */
    record Answer(String requestId, boolean error, String body, Optional<String> errorType) {
    }

    private record Invocation(String requestId, byte[] event, CompletableFuture<Answer> answer) {
    }

    private final HttpServer server;
    private final String functionArn;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private final CompletableFuture<Long> firstNext = new CompletableFuture<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    RuntimeApiServer(String functionArn) throws IOException {
        this.functionArn = functionArn;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext(BASE, this::route);
        // One thread blocks in invocation/next while the others answer the runtime's posts.
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "runtime-api");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** host:port, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    CompletableFuture<Answer> invoke(byte[] event) {
        Invocation i = new Invocation(UUID.randomUUID().toString(), event, new CompletableFuture<>());
        pending.add(i);
        return i.answer();
    }

    CompletableFuture<String> initError() {
        return initError;
    }

    /** Completes, with the nanoTime, when the runtime first asks for work: its init is done. */
    CompletableFuture<Long> ready() {
        return firstNext;
    }

    /** Every request the runtime made, as "METHOD path", in order. */
    List<String> calls() {
        return List.copyOf(calls);
    }

    private void route(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath().substring(BASE.length());
        String method = x.getRequestMethod();
        calls.add(method + " " + path);
        byte[] body = x.getRequestBody().readAllBytes();
        try {
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(x);
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")) {
                answer(x, path, false, body);
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/error")) {
                answer(x, path, true, body);
            } else if (method.equals("POST") && path.equals("init/error")) {
                initError.complete(new String(body, StandardCharsets.UTF_8));
                reply(x, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("GET") && path.equals("restore/next")) {
                reply(x, 200, "");
            } else if (method.equals("POST") && path.equals("restore/error")) {
                initError.complete("restore error: " + new String(body, StandardCharsets.UTF_8));
                reply(x, 202, "{\"status\":\"OK\"}");
            } else {
                reply(x, 404, "{\"errorMessage\":\"no such runtime API path: " + method + " " + path + "\"}");
            }
        } finally {
            x.close();
        }
    }

    private void next(HttpExchange x) throws IOException {
        firstNext.complete(System.nanoTime());
        Invocation i = null;
        while (i == null && !closed) {
            try {
                i = pending.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (i == null) {
            return;
        }
        inFlight.put(i.requestId(), i);
        x.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", i.requestId());
        x.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                Long.toString(System.currentTimeMillis() + Duration.ofMinutes(1).toMillis()));
        x.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        x.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(200, i.event().length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(i.event());
        }
    }

    private void answer(HttpExchange x, String path, boolean error, byte[] body) throws IOException {
        String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
        Invocation i = inFlight.remove(id);
        if (i == null) {
            reply(x, 400, "{\"errorMessage\":\"unknown request id " + id + "\"}");
            return;
        }
        i.answer().complete(new Answer(id, error, new String(body, StandardCharsets.UTF_8),
                Optional.ofNullable(x.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"))));
        reply(x, 202, "{\"status\":\"OK\"}");
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
    }
}
