package io.iamguardrail.aws;

import io.iamguardrail.decision.Decision;
import io.iamguardrail.pipeline.AlertedFindings;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Alerted findings in the evaluator's table, one item per principal and rule ({@link AlertedFindings#key}):
 * {@code pk = alerted#<key>}, with the event id, when and at what severity. A later alert on the same key
 * overwrites it (the audit needs the latest). Kept a little over a year so a yearly audit still sees them.
 */
public final class DynamoDbAlertedFindings implements AlertedFindings {

    public static final String PREFIX = "alerted#";
    static final Duration RETENTION = Duration.ofDays(400);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoDbAlertedFindings(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void record(Decision decision) {
        Instant now = clock.instant();
        String expires = Long.toString(now.plus(RETENTION).getEpochSecond());
        for (Map.Entry<String, String> k : AlertedFindings.keys(decision).entrySet()) {
            dynamo.putItem(b -> b.tableName(table).item(Map.of(
                    "pk", AttributeValue.fromS(PREFIX + k.getKey()),
                    "eventId", AttributeValue.fromS(decision.eventId()),
                    "alertedAt", AttributeValue.fromS(now.toString()),
                    "severity", AttributeValue.fromS(k.getValue()),
                    "expiresAt", AttributeValue.fromN(expires))));
        }
    }
}
