package io.iamguardrail.aws;

import io.iamguardrail.pipeline.EventLedger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Idempotency on the event id: a conditional put ({@code attribute_not_exists(pk)}) that exactly one delivery wins,
 * with a TTL so the table does not grow forever.
 */
public final class DynamoDbEventLedger implements EventLedger {

    static final Duration RETENTION = Duration.ofDays(7);

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
        long expires = clock.instant().plus(RETENTION).getEpochSecond();
        try {
            dynamo.putItem(b -> b.tableName(table).conditionExpression("attribute_not_exists(pk)").item(Map.of(
                    "pk", AttributeValue.fromS("event#" + eventId),
                    "expiresAt", AttributeValue.fromN(Long.toString(expires)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void release(String eventId) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("event#" + eventId))));
    }
}
