package io.iamguardrail.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;

import java.util.List;

/**
 * SDK v2 clients as the guardrail uses them: the small URL-connection HTTP client, adaptive retries (IAM throttles
 * account-wide), IAM in its global region. The standard configuration applies: credentials, region and
 * {@code AWS_ENDPOINT_URL} (an emulator in tests).
 */
public final class Clients {

    private Clients() {
    }

    public static IamClient iam() {
        return iamBuilder().build();
    }

    public static SnsClient sns() {
        return snsBuilder().build();
    }

    public static DynamoDbClient dynamo() {
        return dynamoBuilder().build();
    }

    /** The production settings (HTTP client, region, retries) before build: tests point them at an emulator. */
    public static IamClientBuilder iamBuilder() {
        // Five attempts, not the default three: IAM throttles account-wide during the bursts the guardrail watches,
        // and a lookup that gives up fails the whole invocation, which Lambda retries a minute later, re-reading
        // everything. With one request in ten throttled, three attempts exhaust about once per thousand lookups;
        // five, once per hundred thousand. The backoff stays well inside the function's timeout.
        return iamSettings().httpClientBuilder(UrlConnectionHttpClient.builder());
    }

    private static IamClientBuilder iamSettings() {
        return IamClient.builder().region(Region.AWS_GLOBAL)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                        .maxAttempts(IAM_ATTEMPTS).build()));
    }

    /** Attempts per IAM call, the first included. */
    public static final int IAM_ATTEMPTS = 5;

    public static SnsClientBuilder snsBuilder() {
        return snsSettings().httpClientBuilder(UrlConnectionHttpClient.builder());
    }

    private static SnsClientBuilder snsSettings() {
        return SnsClient.builder().overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD));
    }

    public static DynamoDbClientBuilder dynamoBuilder() {
        return dynamoSettings().httpClientBuilder(UrlConnectionHttpClient.builder());
    }

    private static DynamoDbClientBuilder dynamoSettings() {
        return DynamoDbClient.builder().overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD));
    }

    public static S3Client s3() {
        return s3Settings().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static S3ClientBuilder s3Settings() {
        // An emulator (AWS_ENDPOINT_URL) serves buckets by path, not by host name.
        boolean emulated = System.getenv("AWS_ENDPOINT_URL") != null || System.getenv("AWS_ENDPOINT_URL_S3") != null;
        return S3Client.builder().forcePathStyle(emulated).overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD));
    }

    /**
     * The evaluator's clients with the production settings, every call answered by {@link BundledResponses}: priming
     * runs the real pipeline through them. Fixed credentials, since nothing is sent; the region resolves as in
     * production.
     */
    public record Rehearsal(IamClient iam, SnsClient sns, DynamoDbClient dynamo, S3Client s3,
                            List<BundledResponses> responses) implements AutoCloseable {
        public static Rehearsal create() {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("ASIAPRIMINGONLY", "priming"));
            List<BundledResponses> responses = List.of(new BundledResponses("iam"), new BundledResponses("sns"),
                    new BundledResponses("dynamodb"), new BundledResponses("s3"));
            return new Rehearsal(
                    iamSettings().httpClient(responses.get(0)).credentialsProvider(credentials).build(),
                    snsSettings().httpClient(responses.get(1)).credentialsProvider(credentials).build(),
                    dynamoSettings().httpClient(responses.get(2)).credentialsProvider(credentials).build(),
                    s3Settings().httpClient(responses.get(3)).credentialsProvider(credentials).build(), responses);
        }

        /** Every operation answered, service by service, e.g. {@code iam:GetRole}. */
        public List<String> answered() {
            return responses.stream().flatMap(r -> r.answered().stream()).toList();
        }

        @Override
        public void close() {
            iam.close();
            sns.close();
            dynamo.close();
            s3.close();
        }
    }

    public static SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build();
    }
}
