package io.iamguardrail.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy on loopback between the SDK clients and moto that fails on purpose, as AWS does under load: IAM
 * {@code Throttling}, 500s, delays, dropped connections, DynamoDB throughput errors. Each rule names a service (from
 * the request's SigV4 credential scope) and an action ({@code Action=} of the Query protocol, or the
 * {@code X-Amz-Target} of the JSON protocol) and fails that many matching requests; the others pass through. Every
 * request is counted, failed or not, so a test can see the retries the SDK made.
 */
public final class FaultProxy implements AutoCloseable {

    /** What to do instead of forwarding. */
    public enum Fault {
        /** IAM/SNS: HTTP 400 with the Query-protocol error {@code Throttling}; DynamoDB: {@code ThrottlingException}. */
        THROTTLE,
        /** HTTP 500 {@code InternalFailure} (Query) or {@code InternalServerError} (JSON). */
        SERVER_ERROR,
        /** DynamoDB {@code ProvisionedThroughputExceededException}. */
        THROUGHPUT_EXCEEDED,
        /** Forward after {@link #DELAY_MILLIS}. */
        DELAY,
        /** Close the connection without an answer. */
        DROP
    }

    /** One request as the proxy saw it, and when ({@link System#nanoTime()}). */
    public record Call(String service, String action, boolean failed, long atNanos) {
    }

    static final long DELAY_MILLIS = 1_500;
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/aws4_request");
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
            "transfer-encoding", "upgrade");

    private record Rule(String service, String action, Fault fault, AtomicInteger remaining, int every,
                        AtomicInteger seen) {
        boolean matches(String s, String a) {
            return service.equals(s) && (action.equals("*") || action.equals(a)) && remaining.get() > 0;
        }

        /** Whether this matching request is one to fail: every one, or every n-th. */
        boolean take() {
            if (every > 1) {
                return seen.incrementAndGet() % every == 0;
            }
            return remaining.getAndDecrement() > 0;
        }
    }

    private final URI target;
    private final HttpServer server;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    public FaultProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Fails the next {@code times} requests of {@code service} ({@code iam}, {@code sns}, {@code dynamodb}) and action ({@code *}: any). */
    public FaultProxy fail(String service, String action, Fault fault, int times) {
        rules.add(new Rule(service, action, fault, new AtomicInteger(times), 1, new AtomicInteger()));
        return this;
    }

    /** Fails every {@code n}-th request of {@code service} and action, for as long as the rule stands (a throttled burst). */
    public FaultProxy failEvery(String service, String action, Fault fault, int n) {
        rules.add(new Rule(service, action, fault, new AtomicInteger(Integer.MAX_VALUE), n, new AtomicInteger()));
        return this;
    }

    /** Removes every rule (a redelivery after the outage) and forgets the calls seen. */
    public void reset() {
        rules.clear();
        calls.clear();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public long count(String service, String action) {
        return calls.stream().filter(c -> c.service().equals(service) && (action.equals("*") || c.action().equals(action))).count();
    }

    public long failed() {
        return calls.stream().filter(Call::failed).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String service = service(exchange.getRequestHeaders().getFirst("Authorization"));
        String action = action(exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
        Rule rule = null;
        for (Rule r : rules) {
            if (r.matches(service, action) && r.take()) {
                rule = r;
                break;
            }
        }
        calls.add(new Call(service, action, rule != null && rule.fault() != Fault.DELAY, System.nanoTime()));
        try (exchange) {
            if (rule == null) {
                forward(exchange, body);
                return;
            }
            switch (rule.fault()) {
                case DELAY -> {
                    sleep(DELAY_MILLIS);
                    forward(exchange, body);
                }
                case DROP -> {
                    // An exception out of the handler makes the server close the connection unanswered.
                    throw new IOException("dropped on purpose");
                }
                case THROTTLE -> error(exchange, service, 400, service.equals("dynamodb") ? "ThrottlingException" : "Throttling",
                        "Rate exceeded");
                case THROUGHPUT_EXCEEDED -> error(exchange, service, 400, "ProvisionedThroughputExceededException",
                        "The level of configured provisioned throughput for the table was exceeded.");
                case SERVER_ERROR -> error(exchange, service, 500,
                        service.equals("dynamodb") ? "InternalServerError" : "InternalFailure", "Internal error");
            }
        }
    }

    private static void error(HttpExchange exchange, String service, int status, String code, String message)
            throws IOException {
        byte[] out;
        if (service.equals("dynamodb")) {
            // The JSON protocol names the error in __type (and, for Query-compatible services, x-amzn-query-error).
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.getResponseHeaders().add("x-amzn-ErrorType", code);
            out = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + code + "\",\"message\":\"" + message + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            String ns = service.equals("iam") ? "https://iam.amazonaws.com/doc/2010-05-08/" : "http://sns.amazonaws.com/doc/2010-03-31/";
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            out = ("<ErrorResponse xmlns=\"" + ns + "\"><Error><Type>" + (status >= 500 ? "Receiver" : "Sender")
                    + "</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>"
                    + "<RequestId>fault-proxy</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
        }
        exchange.sendResponseHeaders(status, out.length);
        exchange.getResponseBody().write(out);
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) target.resolve(exchange.getRequestURI().toString()).toURL().openConnection();
        c.setRequestMethod(exchange.getRequestMethod());
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                h.getValue().forEach(v -> c.addRequestProperty(h.getKey(), v));
            }
        }
        if (body.length > 0) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream o = c.getOutputStream()) {
                o.write(body);
            }
        }
        int status = c.getResponseCode();
        byte[] answer;
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            answer = in == null ? new byte[0] : in.readAllBytes();
        }
        for (Map.Entry<String, List<String>> h : c.getHeaderFields().entrySet()) {
            if (h.getKey() != null && !NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(h.getKey(), new ArrayList<>(h.getValue()));
            }
        }
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
    }

    static String service(String authorization) {
        if (authorization == null) {
            return "unsigned";
        }
        Matcher m = SCOPE.matcher(authorization);
        return m.find() ? m.group(1) : "unknown";
    }

    static String action(String target, byte[] body) {
        if (target != null) {
            return target.substring(target.indexOf('.') + 1);
        }
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.startsWith("Action=")) {
                return URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
            }
        }
        return "unknown";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
