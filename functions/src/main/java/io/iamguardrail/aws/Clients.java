package io.iamguardrail.aws;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;

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
        return IamClient.builder().region(Region.AWS_GLOBAL).httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                        .maxAttempts(IAM_ATTEMPTS).build()));
    }

    /** Attempts per IAM call, the first included. */
    public static final int IAM_ATTEMPTS = 5;

    public static SnsClientBuilder snsBuilder() {
        return SnsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD));
    }

    public static DynamoDbClientBuilder dynamoBuilder() {
        return DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD));
    }

    public static S3Client s3() {
        // An emulator (AWS_ENDPOINT_URL) serves buckets by path, not by host name.
        boolean emulated = System.getenv("AWS_ENDPOINT_URL") != null || System.getenv("AWS_ENDPOINT_URL_S3") != null;
        return S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).forcePathStyle(emulated)
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build();
    }

    public static SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build();
    }
}
