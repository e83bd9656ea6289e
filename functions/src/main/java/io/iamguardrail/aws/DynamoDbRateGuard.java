package io.iamguardrail.aws;

import io.iamguardrail.config.Severity;
import io.iamguardrail.remediation.RateGuard;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.util.Map;

/**
 * Remediations per minute across all concurrent Lambda invocations: an atomic conditional counter per minute
 * ({@code pk = rate#<epochMinute>}) that expires after an hour (TTL attribute {@code expiresAt}).
 */
public final class DynamoDbRateGuard implements RateGuard {

    private final DynamoDbClient dynamo;
    private final String table;
    private final int limit;
    private final Clock clock;
    private final AccountScope scope;

    public DynamoDbRateGuard(DynamoDbClient dynamo, String table, int limit, Clock clock) {
        this(dynamo, table, limit, clock, AccountScope.OWN);
    }

    /**
     * The budget of one account of a hub's ({@link AccountScope}): a burst in one member account cannot use up the
     * remediations of the others.
     */
    public DynamoDbRateGuard(DynamoDbClient dynamo, String table, int limit, Clock clock, AccountScope scope) {
        this.dynamo = dynamo;
        this.table = table;
        this.limit = limit;
        this.clock = clock;
        this.scope = scope;
    }

    @Override
    public boolean tryAcquire(Severity severity) {
        int share = RateGuard.share(limit, severity);
        long now = clock.instant().getEpochSecond();
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(scope.key("rate#" + now / 60))))
                    .updateExpression("ADD #c :one SET expiresAt = :ttl")
                    .conditionExpression("attribute_not_exists(#c) OR #c < :max")
                    .expressionAttributeNames(Map.of("#c", "remediations"))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                            ":max", AttributeValue.fromN(Integer.toString(share)),
                            ":ttl", AttributeValue.fromN(Long.toString(now + 3600)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public int limit() {
        return limit;
    }
}
