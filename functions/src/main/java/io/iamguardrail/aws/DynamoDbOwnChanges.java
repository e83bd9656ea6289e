package io.iamguardrail.aws;

import io.iamguardrail.remediation.OwnChange;
import io.iamguardrail.remediation.OwnChanges;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.util.Map;

/**
 * The guardrail's recorded writes in its table ({@code pk = own#<digest>}): {@code until} is checked when a record is
 * consumed (DynamoDB's TTL deletes late), {@code claimedBy} binds it to the one event that matched it, and
 * {@code expiresAt} lets the table drop it.
 */
public final class DynamoDbOwnChanges implements OwnChanges {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final AccountScope scope;

    public DynamoDbOwnChanges(DynamoDbClient dynamo, String table, Clock clock) {
        this(dynamo, table, clock, AccountScope.OWN);
    }

    /** The records of one account of a hub's ({@link AccountScope}). */
    public DynamoDbOwnChanges(DynamoDbClient dynamo, String table, Clock clock, AccountScope scope) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.scope = scope;
    }

    @Override
    public void expect(OwnChange change) {
        long until = clock.instant().plus(TTL).getEpochSecond();
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(scope.key(change.key())),
                "eventName", AttributeValue.fromS(change.eventName()),
                "until", AttributeValue.fromN(Long.toString(until)),
                "expiresAt", AttributeValue.fromN(Long.toString(until)))));
    }

    @Override
    public boolean consume(OwnChange change, String eventId) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(scope.key(change.key()))))
                    .updateExpression("SET claimedBy = :event")
                    .conditionExpression("attribute_exists(pk) AND #u >= :now"
                            + " AND (attribute_not_exists(claimedBy) OR claimedBy = :event)")
                    .expressionAttributeNames(Map.of("#u", "until"))
                    .expressionAttributeValues(Map.of(":now",
                            AttributeValue.fromN(Long.toString(clock.instant().getEpochSecond())),
                            ":event", AttributeValue.fromS(eventId))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
