package io.iamguardrail.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.URI;
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
        return IamClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.AWS_GLOBAL)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                        .maxAttempts(IAM_ATTEMPTS).build()).addMetricPublisher(IamRequests.CONTAINER));
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

    /** CloudTrail's event history, in the function's region (IAM's events are recorded in us-east-1). */
    public static CloudTrailClient cloudTrail() {
        return cloudTrailBuilder().build();
    }

    public static CloudTrailClientBuilder cloudTrailBuilder() {
        return CloudTrailClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD));
    }

    /** STS in the function's region: a hub assumes its member roles with it. */
    public static StsClient sts() {
        return StsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build();
    }

    /** The MAC key's service: backups and snapshots are signed and verified there. */
    public static KmsClient kms() {
        return kmsBuilder().build();
    }

    public static KmsClientBuilder kmsBuilder() {
        return KmsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD));
    }

    public static S3Client s3() {
        // An emulator (AWS_ENDPOINT_URL) serves buckets by path, not by host name.
        boolean emulated = System.getenv("AWS_ENDPOINT_URL") != null || System.getenv("AWS_ENDPOINT_URL_S3") != null;
        return s3Builder().forcePathStyle(emulated).build();
    }

    private static S3ClientBuilder s3Builder() {
        return S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD));
    }

    /**
     * The evaluator's clients with the production settings and HTTP client, every call answered by
     * {@link BundledResponses} on loopback: priming runs the real pipeline through them. Fixed credentials, since
     * nothing reaches AWS; the region resolves as in production.
     */
    public record Rehearsal(IamClient iam, SnsClient sns, DynamoDbClient dynamo, S3Client s3, KmsClient kms,
                            BundledResponses responses) implements AutoCloseable {
        public static Rehearsal create() {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("ASIAPRIMINGONLY", "priming"));
            BundledResponses responses = BundledResponses.start();
            URI loopback = responses.endpoint();
            return new Rehearsal(
                    iamBuilder().credentialsProvider(credentials).endpointOverride(loopback).build(),
                    snsBuilder().credentialsProvider(credentials).endpointOverride(loopback).build(),
                    dynamoBuilder().credentialsProvider(credentials).endpointOverride(loopback).build(),
                    s3Builder().forcePathStyle(true).credentialsProvider(credentials).endpointOverride(loopback).build(),
                    kmsBuilder().credentialsProvider(credentials).endpointOverride(loopback).build(),
                    responses);
        }

        /** Every operation answered, service by service, e.g. {@code iam:GetRole}. */
        public List<String> answered() {
            return responses.answered();
        }

        @Override
        public void close() {
            iam.close();
            sns.close();
            dynamo.close();
            s3.close();
            kms.close();
            responses.close();
        }
    }

    public static SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build();
    }
}
