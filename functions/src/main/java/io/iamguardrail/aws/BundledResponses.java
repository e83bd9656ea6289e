package io.iamguardrail.aws;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for AWS that answers every request with an AWS response bundled under
 * {@code /priming/aws/SERVICE/ACTION.xml} (query protocol: IAM, SNS) or {@code .json} (JSON protocol: DynamoDB), or
 * with the empty success the protocol allows. Priming drives the real pipeline through clients pointed at it, so
 * that the marshallers, signers, interceptors, the HTTP client and the unmarshallers of every call an event makes
 * are loaded, run and compiled before the snapshot, without a write reaching AWS.
 *
 * <p>Served over a socket rather than from an in-process SDK HTTP client: after a rehearsal that never touched the
 * HTTP client, each call of the first real invoke still took about 5 ms instead of 2-3. Every answer closes its
 * connection ({@code Connection: close}), so no connection outlives {@link #close()} or reaches the snapshot.
 */
public final class BundledResponses implements AutoCloseable {

    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/");
    /** Requests are small (a form, a JSON item, a backup document); anything larger is not a rehearsal's. */
    private static final int MAX_BODY = 8 * 1024 * 1024;

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<String> answered = new CopyOnWriteArrayList<>();
    /** Bundled answers read once from the package, by path: a rehearsal asks for the same few again and again. */
    private final Map<String, byte[]> files = new HashMap<>();

    private BundledResponses(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::serve, "priming-loopback");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on an ephemeral loopback port until {@link #close()}. */
    public static BundledResponses start() {
        try {
            return new BundledResponses(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("expected to listen on a loopback port for priming", e);
        }
    }

    /** Where the rehearsal's clients send their requests. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The operations answered so far, in order, e.g. {@code iam:GetRole} or {@code s3:PUT /bucket/key}. */
    public List<String> answered() {
        return List.copyOf(answered);
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setTcpNoDelay(true);
                handle(socket);
            } catch (SocketException closed) {
                return; // close() was called
            } catch (IOException | RuntimeException e) {
                // One bad exchange fails that call of the rehearsal (reported by priming), not the stand-in.
            }
        }
    }

    private record Request(String method, String target, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }
    }

    private record Answer(int status, String contentType, byte[] body) {
    }

    private void handle(Socket socket) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        String[] line = readLine(in).split(" ");
        if (line.length < 3) {
            throw new IOException("expected an HTTP request line but found `" + String.join(" ", line) + "`");
        }
        Map<String, String> headers = new HashMap<>();
        for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
        }
        if ("100-continue".equalsIgnoreCase(headers.getOrDefault("expect", ""))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        Request request = new Request(line[0], line[1], headers, body(in, headers));
        Answer answer = answer(request);
        byte[] body = request.method().equals("HEAD") ? new byte[0] : answer.body();
        String head = "HTTP/1.1 " + answer.status() + (answer.status() == 200 ? " OK" : " Not Found") + "\r\n"
                + "Content-Type: " + answer.contentType() + "\r\n"
                + "Content-Length: " + answer.body().length + "\r\n"
                + "x-amzn-RequestId: priming\r\nETag: \"priming\"\r\nConnection: close\r\n\r\n";
        ByteArrayOutputStream response = new ByteArrayOutputStream(head.length() + body.length);
        response.write(head.getBytes(StandardCharsets.US_ASCII));
        response.write(body);
        out.write(response.toByteArray());
        out.flush();
    }

    private Answer answer(Request request) {
        Matcher scope = SCOPE.matcher(request.header("Authorization"));
        String service = scope.find() ? scope.group(1) : "unsigned";
        String target = request.header("X-Amz-Target");
        if (!target.isEmpty()) {
            String action = target.substring(target.indexOf('.') + 1);
            answered.add(service + ":" + action);
            return new Answer(200, "application/x-amz-json-1.0", bundled(service, action + ".json", "{}"));
        }
        String action = queryAction(request.body());
        if (!action.isEmpty()) {
            answered.add(service + ":" + action);
            return new Answer(200, "text/xml", bundled(service, action + ".xml", "<" + action + "Response><" + action
                    + "Result/><ResponseMetadata><RequestId>priming</RequestId></ResponseMetadata></" + action
                    + "Response>"));
        }
        // REST protocols (S3): the method names the operation. A listing is empty and a read finds no object (a
        // backup is looked for before it is written, and must not seem to exist already); writes succeed.
        answered.add(service + ":" + request.method() + " " + request.path());
        if (request.target().contains("list-type=")) {
            return new Answer(200, "application/xml", bundled(service, "ListObjectsV2.xml", "<ListBucketResult/>"));
        }
        if (request.method().equals("GET") || request.method().equals("HEAD")) {
            return new Answer(404, "application/xml", ("<Error><Code>NoSuchKey</Code><Message>The specified key does"
                    + " not exist.</Message></Error>").getBytes(StandardCharsets.UTF_8));
        }
        return new Answer(200, "application/xml", new byte[0]);
    }

    /** The {@code Action} parameter of a query-protocol form body, or empty for other protocols. */
    private static String queryAction(byte[] body) {
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.startsWith("Action=")) {
                return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = chunkSize(readLine(in)); size > 0; size = chunkSize(readLine(in))) {
                body.write(exactly(in, size));
                readLine(in);
                if (body.size() > MAX_BODY) {
                    throw new IOException("expected a request body under " + MAX_BODY + " bytes");
                }
            }
            for (String trailer = readLine(in); !trailer.isEmpty(); trailer = readLine(in)) {
                // trailers (checksums) are not needed
            }
            return body.toByteArray();
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        if (length < 0 || length > MAX_BODY) {
            throw new IOException("expected a request body under " + MAX_BODY + " bytes but found " + length);
        }
        return exactly(in, length);
    }

    private static int chunkSize(String line) {
        int semicolon = line.indexOf(';');
        return Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
    }

    private static byte[] exactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new IOException("expected " + length + " bytes of request body but the connection ended after "
                    + bytes.length);
        }
        return bytes;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("expected a line ending in the request but the connection ended");
            }
            if (c != '\r') {
                line.append((char) c);
            }
            if (line.length() > 64 * 1024) {
                throw new IOException("expected a request line or header under 64 KiB");
            }
        }
        return line.toString();
    }

    /** Only the acceptor thread asks, so the map needs no lock. */
    private byte[] bundled(String service, String file, String fallback) {
        return files.computeIfAbsent("/priming/aws/" + service + "/" + file, path -> {
            try (InputStream in = BundledResponses.class.getResourceAsStream(path)) {
                return in == null ? fallback.getBytes(StandardCharsets.UTF_8) : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("expected to read the bundled response " + path, e);
            }
        });
    }

    /** Stops listening; every answered connection is already closed. */
    @Override
    public void close() {
        try {
            server.close();
            acceptor.join(1000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
