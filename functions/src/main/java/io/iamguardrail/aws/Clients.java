package io.iamguardrail.aws;

import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * SDK v2 clients as the guardrail uses them: the small URL-connection HTTP client, adaptive retries (IAM throttles
 * account-wide), IAM in its global region. The standard configuration applies: credentials, region and
 * {@code AWS_ENDPOINT_URL} (an emulator in tests).
 */
public final class Clients {

    private Clients() {
    }

    public static IamClient iam() {
        return IamClient.builder().region(Region.AWS_GLOBAL).httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.ADAPTIVE_V2)).build();
    }

    public static SnsClient sns() {
        return SnsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build();
    }

    public static DynamoDbClient dynamo() {
        return DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build();
    }

    /** Path-style addressing, so that an emulator at AWS_ENDPOINT_URL serves any bucket name. */
    public static S3Client s3() {
        boolean emulator = System.getenv("AWS_ENDPOINT_URL") != null || System.getenv("AWS_ENDPOINT_URL_S3") != null;
        return S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).forcePathStyle(emulator)
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build();
    }
}
