package io.iamguardrail.aws;

import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.NodeWriter;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.organization.Organization;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The organization's active accounts from Organizations' {@code ListAccounts}, kept for a few minutes. An account not
 * in the list makes the list be read again, at most once a minute, so that a new account is guarded as soon as it
 * joins and a flood of events naming unknown accounts costs one call a minute.
 *
 * <p>One JSON call signed with the SDK's own SigV4 signer: the whole Organizations client is not worth its classes
 * at cold start for one read-only operation. Only the management account or a delegated administrator may call it.
 */
public final class OrganizationsAccounts implements Organization {

    static final Duration KEEP = Duration.ofMinutes(5);
    static final Duration RECHECK_UNKNOWN = Duration.ofMinutes(1);
    private static final int ATTEMPTS = 5;

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final String region;
    private final Clock clock;
    private List<MemberAccount> members = List.of();
    private Instant read = Instant.MIN;

    public OrganizationsAccounts(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpoint, String region,
                                 Clock clock) {
        this.http = http;
        this.credentials = credentials;
        this.endpoint = endpoint;
        this.region = region;
        this.clock = clock;
    }

    /** Organizations' endpoint: {@code AWS_ENDPOINT_URL_ORGANIZATIONS}, {@code AWS_ENDPOINT_URL}, or AWS's own. */
    public static URI endpoint(Map<String, String> env) {
        String own = Optional.ofNullable(env.get("AWS_ENDPOINT_URL_ORGANIZATIONS"))
                .or(() -> Optional.ofNullable(env.get("AWS_ENDPOINT_URL"))).orElse("").strip();
        return URI.create(own.isEmpty() ? "https://organizations.us-east-1.amazonaws.com" : own);
    }

    @Override
    public synchronized Optional<MemberAccount> activeMember(String accountId) {
        Instant now = clock.instant();
        if (now.isAfter(read.plus(KEEP))) {
            refresh(now);
        }
        Optional<MemberAccount> found = find(accountId);
        if (found.isEmpty() && now.isAfter(read.plus(RECHECK_UNKNOWN))) {
            refresh(now);
            found = find(accountId);
        }
        return found;
    }

    @Override
    public synchronized List<MemberAccount> activeMembers() {
        Instant now = clock.instant();
        if (now.isAfter(read.plus(KEEP))) {
            refresh(now);
        }
        return members;
    }

    private Optional<MemberAccount> find(String accountId) {
        return members.stream().filter(m -> m.id().equals(accountId)).findFirst();
    }

    private void refresh(Instant now) {
        List<MemberAccount> active = new ArrayList<>();
        Optional<String> next = Optional.empty();
        do {
            Node.Obj page = call(next.map(t -> "{\"NextToken\":" + NodeWriter.quote(t) + "}").orElse("{}"));
            if (page.get("Accounts") instanceof Node.Arr accounts) {
                for (Node a : accounts.items()) {
                    if (a instanceof Node.Obj account && text(account, "Status").orElse("").equals("ACTIVE")
                            && text(account, "Id").isPresent()) {
                        active.add(new MemberAccount(text(account, "Id").get(), text(account, "Name").orElse("")));
                    }
                }
            }
            next = text(page, "NextToken");
        } while (next.isPresent());
        members = List.copyOf(active);
        read = now;
    }

    private Node.Obj call(String body) {
        for (int attempt = 1; ; attempt++) {
            SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                    .putHeader("Content-Type", "application/x-amz-json-1.1")
                    .putHeader("X-Amz-Target", "AWSOrganizationsV20161128.ListAccounts").build();
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                    .request(request).payload(ContentStreamProvider.fromUtf8String(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            int status;
            String answer;
            try {
                HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                        .request(signed.request()).contentStreamProvider(signed.payload().orElse(null)).build()).call();
                status = response.httpResponse().statusCode();
                answer = response.responseBody().map(OrganizationsAccounts::read).orElse("");
            } catch (IOException e) {
                throw new UncheckedIOException("Organizations ListAccounts at " + endpoint + " failed", e);
            }
            Node.Obj parsed = parse(answer);
            if (status == 200) {
                return parsed;
            }
            String type = text(parsed, "__type").orElse("HTTP " + status);
            if (type.contains("TooManyRequests") && attempt < ATTEMPTS) {
                pause(attempt);
                continue;
            }
            throw new IllegalStateException("expected Organizations ListAccounts to list the organization's accounts"
                    + " (the hub must be the management account or a delegated administrator) but it answered "
                    + type + ": " + text(parsed, "Message").or(() -> text(parsed, "message")).orElse(answer));
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Node.Obj parse(String answer) {
        try {
            return answer.isBlank() ? new Node.Obj(Map.of(), SourceLocation.UNKNOWN)
                    : NodeReader.readJson(answer) instanceof Node.Obj o ? o : new Node.Obj(Map.of(), SourceLocation.UNKNOWN);
        } catch (NodeReadException e) {
            throw new IllegalStateException("expected Organizations to answer JSON but found: " + answer, e);
        }
    }

    private static Optional<String> text(Node.Obj o, String key) {
        return o.get(key) instanceof Node.Str s && !s.value().isBlank() ? Optional.of(s.value()) : Optional.empty();
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(200L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Organizations throttled ListAccounts", e);
        }
    }
}
