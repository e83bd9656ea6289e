package io.iamguardrail.tamper;

import java.util.List;
import java.util.Optional;

/**
 * The calls that can switch the guardrail off, blind it or redirect it, per service: its functions, rules, topics,
 * queues, keys, table, buckets, trail, log groups and schedules. The EventBridge rule {@code GuardrailTampered} of
 * template.yaml lists exactly these (a test keeps them equal); the stack's own IAM roles and policies are watched by
 * their names in the same rule (every IAM call on them), see {@link StackResources}.
 */
public final class TamperEvents {

    private static final String LAMBDA = "lambda.amazonaws.com";
    private static final String EVENTS = "events.amazonaws.com";
    private static final String SNS = "sns.amazonaws.com";
    private static final String SQS = "sqs.amazonaws.com";
    private static final String KMS = "kms.amazonaws.com";
    private static final String DYNAMODB = "dynamodb.amazonaws.com";
    private static final String S3 = "s3.amazonaws.com";
    private static final String CLOUDTRAIL = "cloudtrail.amazonaws.com";
    private static final String LOGS = "logs.amazonaws.com";
    private static final String SCHEDULER = "scheduler.amazonaws.com";

    /** Every watched call outside IAM. */
    public static final List<WatchedCall> CALLS = List.of(
            WatchedCall.prefix(LAMBDA, "UpdateFunctionConfiguration", "functionName"),
            WatchedCall.prefix(LAMBDA, "UpdateFunctionCode", "functionName"),
            WatchedCall.prefix(LAMBDA, "DeleteFunction", "functionName"),
            WatchedCall.prefix(LAMBDA, "PutFunctionConcurrency", "functionName"),
            WatchedCall.prefix(LAMBDA, "DeleteFunctionConcurrency", "functionName"),
            WatchedCall.prefix(LAMBDA, "AddPermission", "functionName"),
            WatchedCall.prefix(LAMBDA, "RemovePermission", "functionName"),
            WatchedCall.prefix(LAMBDA, "PutFunctionEventInvokeConfig", "functionName"),
            WatchedCall.prefix(LAMBDA, "UpdateFunctionEventInvokeConfig", "functionName"),
            WatchedCall.prefix(LAMBDA, "DeleteFunctionEventInvokeConfig", "functionName"),
            WatchedCall.prefix(LAMBDA, "UpdateAlias", "functionName"),
            WatchedCall.prefix(LAMBDA, "DeleteAlias", "functionName"),
            WatchedCall.prefix(LAMBDA, "UpdateEventSourceMapping", "uUID", "uuid"),
            WatchedCall.prefix(LAMBDA, "DeleteEventSourceMapping", "uUID", "uuid"),
            WatchedCall.exact(EVENTS, "DisableRule", "name"),
            WatchedCall.exact(EVENTS, "DeleteRule", "name"),
            WatchedCall.exact(EVENTS, "PutRule", "name"),
            WatchedCall.exact(EVENTS, "RemoveTargets", "rule"),
            WatchedCall.exact(EVENTS, "PutTargets", "rule"),
            // A hub's organization bus: deleting it or rewriting its policy cuts every member account off.
            WatchedCall.exact(EVENTS, "DeleteEventBus", "name"),
            WatchedCall.exact(EVENTS, "PutPermission", "eventBusName"),
            WatchedCall.exact(EVENTS, "RemovePermission", "eventBusName"),
            WatchedCall.exact(SNS, "Unsubscribe", "subscriptionArn"),
            WatchedCall.exact(SNS, "SetSubscriptionAttributes", "subscriptionArn"),
            WatchedCall.exact(SNS, "SetTopicAttributes", "topicArn"),
            WatchedCall.exact(SNS, "DeleteTopic", "topicArn"),
            WatchedCall.exact(SNS, "AddPermission", "topicArn"),
            WatchedCall.exact(SNS, "RemovePermission", "topicArn"),
            WatchedCall.exact(SNS, "Subscribe", "topicArn"),
            WatchedCall.exact(SNS, "PutDataProtectionPolicy", "resourceArn"),
            WatchedCall.exact(SQS, "SetQueueAttributes", "queueUrl"),
            WatchedCall.exact(SQS, "DeleteQueue", "queueUrl"),
            WatchedCall.exact(SQS, "PurgeQueue", "queueUrl"),
            WatchedCall.exact(KMS, "DisableKey", "keyId"),
            WatchedCall.exact(KMS, "ScheduleKeyDeletion", "keyId"),
            WatchedCall.exact(KMS, "PutKeyPolicy", "keyId"),
            WatchedCall.exact(KMS, "CreateGrant", "keyId"),
            WatchedCall.exact(KMS, "DisableKeyRotation", "keyId"),
            WatchedCall.exact(DYNAMODB, "DeleteTable", "tableName"),
            WatchedCall.exact(DYNAMODB, "UpdateTable", "tableName"),
            WatchedCall.exact(DYNAMODB, "UpdateTimeToLive", "tableName"),
            WatchedCall.exact(DYNAMODB, "UpdateContinuousBackups", "tableName"),
            WatchedCall.exact(S3, "PutBucketPolicy", "bucketName"),
            WatchedCall.exact(S3, "DeleteBucketPolicy", "bucketName"),
            WatchedCall.prefix(S3, "PutBucketLifecycle", "bucketName"),
            WatchedCall.exact(S3, "PutBucketVersioning", "bucketName"),
            WatchedCall.exact(S3, "PutBucketEncryption", "bucketName"),
            WatchedCall.prefix(S3, "DeleteBucket", "bucketName"),
            WatchedCall.exact(CLOUDTRAIL, "StopLogging", "name"),
            WatchedCall.exact(CLOUDTRAIL, "DeleteTrail", "name"),
            WatchedCall.exact(CLOUDTRAIL, "UpdateTrail", "name"),
            WatchedCall.exact(CLOUDTRAIL, "PutEventSelectors", "trailName"),
            WatchedCall.exact(LOGS, "DeleteLogGroup", "logGroupName"),
            WatchedCall.exact(LOGS, "PutRetentionPolicy", "logGroupName"),
            WatchedCall.exact(LOGS, "DeleteSubscriptionFilter", "logGroupName"),
            WatchedCall.exact(SCHEDULER, "UpdateSchedule", "name"),
            WatchedCall.exact(SCHEDULER, "DeleteSchedule", "name"));

    private TamperEvents() {
    }

    /** The watched call this event is, if any. */
    public static Optional<WatchedCall> watched(String eventSource, String eventName) {
        return CALLS.stream().filter(c -> c.matches(eventSource, eventName)).findFirst();
    }
}
