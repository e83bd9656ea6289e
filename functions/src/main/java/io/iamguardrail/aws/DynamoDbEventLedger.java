package io.iamguardrail.aws;

import io.iamguardrail.pipeline.EventLedger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Idempotency on the event id: a conditional put that exactly one delivery wins, with a TTL so the table does not
 * grow forever. The claim is a lease ("pending" until {@code leaseUntil}); "done" after the publish.
 */
public final class DynamoDbEventLedger implements EventLedger {

    static final Duration RETENTION = Duration.ofDays(7);
    /** Longer than the function's timeout: a claim older than this was left by an invocation that died. */
    static final Duration LEASE = Duration.ofMinutes(5);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoDbEventLedger(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public boolean claim(String eventId) {
        long now = clock.instant().getEpochSecond();
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .conditionExpression("attribute_not_exists(pk) OR (#s = :pending AND leaseUntil < :now)")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS("pending"),
                            ":now", AttributeValue.fromN(Long.toString(now))))
                    .item(Map.of(
                            "pk", AttributeValue.fromS("event#" + eventId),
                            "status", AttributeValue.fromS("pending"),
                            "leaseUntil", AttributeValue.fromN(Long.toString(now + LEASE.getSeconds())),
                            "expiresAt", AttributeValue.fromN(Long.toString(now + RETENTION.getSeconds())))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void complete(String eventId) {
        dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("event#" + eventId)))
                .updateExpression("SET #s = :done").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":done", AttributeValue.fromS("done"))));
    }

    @Override
    public void release(String eventId) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("event#" + eventId))));
    }
}
