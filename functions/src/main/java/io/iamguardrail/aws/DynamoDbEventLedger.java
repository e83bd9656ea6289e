package io.iamguardrail.aws;

import io.iamguardrail.pipeline.EventLedger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Idempotency on the event id: one item per event ({@code pk = event#ID}) with a TTL so the table does not grow
 * forever. {@code status} is {@code pending} (held by {@code owner}, a request id, until {@code leaseUntil}),
 * {@code deferred} (alerted, remediation due again) or {@code done}; {@code remediation} keeps the remediation
 * report of the event's attempt, so that a retry re-emits it.
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

    private static Map<String, AttributeValue> key(String eventId) {
        return Map.of("pk", AttributeValue.fromS("event#" + eventId));
    }

    @Override
    public Claim claim(String eventId, Holder holder) {
        long now = clock.instant().getEpochSecond();
        try {
            // A claim is taken when there is none, when its lease ran out (the holder died), when this request's own
            // earlier attempt holds it (a Lambda retry keeps the request id), or when a remediation was deferred.
            Map<String, AttributeValue> old = dynamo.updateItem(b -> b.tableName(table).key(key(eventId))
                    .conditionExpression("attribute_not_exists(pk) OR #s = :deferred"
                            + " OR (#s = :pending AND (leaseUntil < :now OR #o = :owner))")
                    .updateExpression("SET #s = :pending, #o = :owner, leaseUntil = :lease, expiresAt = :expires")
                    .expressionAttributeNames(Map.of("#s", "status", "#o", "owner"))
                    .expressionAttributeValues(Map.of(":pending", AttributeValue.fromS("pending"),
                            ":deferred", AttributeValue.fromS("deferred"),
                            ":now", AttributeValue.fromN(Long.toString(now)),
                            ":owner", AttributeValue.fromS(holder.requestId()),
                            ":lease", AttributeValue.fromN(Long.toString(holder.leaseUntil().getEpochSecond())),
                            ":expires", AttributeValue.fromN(Long.toString(now + RETENTION.getSeconds()))))
                    .returnValues("ALL_OLD")).attributes();
            Optional<String> remediation = text(old, "remediation");
            boolean deferred = text(old, "status").map("deferred"::equals).orElse(false);
            return new Claim(deferred ? Claim.Status.DEFERRED : Claim.Status.CLAIMED, remediation, Optional.empty());
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(eventId))
                    .consistentRead(true)).item();
            if (text(item, "status").map("done"::equals).orElse(false)) {
                return new Claim(Claim.Status.DONE, text(item, "remediation"), Optional.empty());
            }
            return new Claim(Claim.Status.HELD, text(item, "remediation"), text(item, "owner"));
        }
    }

    @Override
    public void recordRemediation(String eventId, String report) {
        dynamo.updateItem(b -> b.tableName(table).key(key(eventId)).updateExpression("SET remediation = :r")
                .expressionAttributeValues(Map.of(":r", AttributeValue.fromS(report))));
    }

    @Override
    public void defer(String eventId, String report) {
        dynamo.updateItem(b -> b.tableName(table).key(key(eventId)).updateExpression("SET #s = :deferred, remediation = :r")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":deferred", AttributeValue.fromS("deferred"),
                        ":r", AttributeValue.fromS(report))));
    }

    @Override
    public void complete(String eventId) {
        dynamo.updateItem(b -> b.tableName(table).key(key(eventId))
                .updateExpression("SET #s = :done").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":done", AttributeValue.fromS("done"))));
    }

    @Override
    public void release(String eventId, Holder holder) {
        // Only the holder gives a claim back (its lease ends, its stored report stays): a late release must not free
        // another invocation's claim.
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(eventId)).updateExpression("SET leaseUntil = :ended")
                    .conditionExpression("#o = :owner AND #s = :pending")
                    .expressionAttributeNames(Map.of("#o", "owner", "#s", "status"))
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(holder.requestId()),
                            ":pending", AttributeValue.fromS("pending"), ":ended", AttributeValue.fromN("0"))));
        } catch (ConditionalCheckFailedException e) {
            // Someone else holds it now, or it is deferred: theirs to finish.
        }
    }

    private static Optional<String> text(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item == null ? null : item.get(name)).map(AttributeValue::s);
    }
}
