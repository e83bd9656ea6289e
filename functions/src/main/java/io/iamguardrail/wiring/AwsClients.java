package io.iamguardrail.wiring;

import io.iamguardrail.aws.Clients;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.util.function.Supplier;

/**
 * The SDK clients the evaluator's adapters are built with. The clients every invocation uses are given; the ones only
 * a remediation needs are made on first use, so an alert-only function never builds them.
 */
public record AwsClients(IamClient iam, SnsClient sns, DynamoDbClient dynamo, Supplier<S3Client> s3,
                         Supplier<KmsClient> kms, Supplier<CloudTrailClient> cloudTrail) {

    /** The production clients (the function's region and credentials, or {@code AWS_ENDPOINT_URL}'s emulator). */
    public static AwsClients standard() {
        return of(Clients.iam(), Clients.sns(), Clients.dynamo());
    }

    /** The given clients, with the production ones for S3, KMS and CloudTrail. */
    public static AwsClients of(IamClient iam, SnsClient sns, DynamoDbClient dynamo) {
        return new AwsClients(iam, sns, dynamo, Clients::s3, Clients::kms, Clients::cloudTrail);
    }
}
