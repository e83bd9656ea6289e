package io.iamguardrail.aws;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP client that never opens a connection: it answers every SDK request with an AWS response bundled under
 * {@code /priming/aws/SERVICE/ACTION.xml} (query protocol: IAM, SNS) or {@code .json} (JSON protocol: DynamoDB), or
 * with the empty success the protocol allows. Priming drives the real pipeline through clients built on it, so that
 * the marshallers, unmarshallers, signers and interceptors of every call an event makes are loaded and run before the
 * snapshot, without a write reaching AWS and without a connection the snapshot would hold.
 */
public final class BundledResponses implements SdkHttpClient {

    private final String service;
    private final List<String> answered = new CopyOnWriteArrayList<>();

    /** {@code service}: the folder of its responses, e.g. {@code iam}. */
    public BundledResponses(String service) {
        this.service = service;
    }

    /** The operations answered so far, in order, e.g. {@code iam:GetRole}. */
    public List<String> answered() {
        return List.copyOf(answered);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                return answer(request);
            }

            @Override
            public void abort() {
            }
        };
    }

    private HttpExecuteResponse answer(HttpExecuteRequest request) {
        String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
        byte[] body;
        String contentType;
        int status = 200;
        if (!target.isEmpty()) {
            String action = target.substring(target.indexOf('.') + 1);
            answered.add(service + ":" + action);
            body = bundled(action + ".json", "{}");
            contentType = "application/x-amz-json-1.0";
        } else {
            String action = queryAction(request);
            if (action.isEmpty()) {
                // REST protocols (S3): the method names the operation. A listing is empty and a read finds no
                // object (a backup is looked for before it is written, and must not seem to exist already); writes
                // succeed.
                String method = request.httpRequest().method().name();
                answered.add(service + ":" + method + " " + request.httpRequest().encodedPath());
                contentType = "application/xml";
                if (request.httpRequest().rawQueryParameters().containsKey("list-type")) {
                    body = bundled("ListObjectsV2.xml", "<ListBucketResult/>");
                } else if (method.equals("GET") || method.equals("HEAD")) {
                    status = 404;
                    body = method.equals("HEAD") ? new byte[0] : ("<Error><Code>NoSuchKey</Code><Message>The "
                            + "specified key does not exist.</Message></Error>").getBytes(StandardCharsets.UTF_8);
                } else {
                    body = new byte[0];
                }
            } else {
                answered.add(service + ":" + action);
                body = bundled(action + ".xml", "<" + action + "Response><" + action + "Result/><ResponseMetadata>"
                        + "<RequestId>priming</RequestId></ResponseMetadata></" + action + "Response>");
                contentType = "text/xml";
            }
        }
        SdkHttpResponse response = SdkHttpResponse.builder().statusCode(status).statusText(status == 200 ? "OK" : "Not Found")
                .putHeader("Content-Type", contentType)
                .putHeader("Content-Length", Integer.toString(body.length))
                .putHeader("x-amzn-RequestId", "priming")
                .putHeader("ETag", "\"priming\"")
                .build();
        return HttpExecuteResponse.builder().response(response)
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
    }

    /** The {@code Action} parameter of a query-protocol form body, or empty for other protocols. */
    private static String queryAction(HttpExecuteRequest request) {
        if (request.contentStreamProvider().isEmpty()) {
            return "";
        }
        String form;
        try (InputStream in = request.contentStreamProvider().get().newStream()) {
            form = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String pair : form.split("&")) {
            if (pair.startsWith("Action=")) {
                return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private byte[] bundled(String file, String fallback) {
        String path = "/priming/aws/" + service + "/" + file;
        try (InputStream in = BundledResponses.class.getResourceAsStream(path)) {
            return in == null ? fallback.getBytes(StandardCharsets.UTF_8) : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("expected to read the bundled response " + path, e);
        }
    }

    @Override
    public void close() {
    }

    @Override
    public String clientName() {
        return "BundledResponses";
    }
}
