package io.iamguardrail.aws;

import io.iamguardrail.audit.KnownAlerts;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the marks {@link DynamoDbAlertedFindings} leaves, with BatchGetItem: 100 keys per request (DynamoDB's
 * limit), and the unprocessed keys DynamoDB hands back under throttling asked again with a growing pause.
 */
public final class DynamoDbKnownAlerts implements KnownAlerts {

    static final int BATCH = 100;
    static final int ATTEMPTS = 6;

    private final DynamoDbClient dynamo;
    private final String table;
    private final long firstPauseMillis;

    public DynamoDbKnownAlerts(DynamoDbClient dynamo, String table) {
        this(dynamo, table, 50);
    }

    DynamoDbKnownAlerts(DynamoDbClient dynamo, String table, long firstPauseMillis) {
        this.dynamo = dynamo;
        this.table = table;
        this.firstPauseMillis = firstPauseMillis;
    }

    @Override
    public Map<String, RealTimeAlert> find(Set<String> keys) {
        Map<String, RealTimeAlert> out = new HashMap<>();
        List<String> all = new ArrayList<>(keys);
        for (int i = 0; i < all.size(); i += BATCH) {
            List<Map<String, AttributeValue>> chunk = all.subList(i, Math.min(i + BATCH, all.size())).stream()
                    .map(k -> Map.of("pk", AttributeValue.fromS(DynamoDbAlertedFindings.PREFIX + k))).toList();
            read(chunk, out);
        }
        return out;
    }

    private void read(List<Map<String, AttributeValue>> chunk, Map<String, RealTimeAlert> out) {
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(chunk)
                .projectionExpression("pk, eventId, alertedAt, severity").build());
        long pause = firstPauseMillis;
        for (int attempt = 1; ; attempt++) {
            Map<String, KeysAndAttributes> ask = request;
            BatchGetItemResponse r = dynamo.batchGetItem(b -> b.requestItems(ask));
            r.responses().getOrDefault(table, List.of()).forEach(item -> add(item, out));
            KeysAndAttributes left = r.unprocessedKeys().get(table);
            if (left == null || left.keys().isEmpty()) {
                return;
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("expected DynamoDB table `" + table + "` to return every alerted-finding mark"
                        + " but " + left.keys().size() + " keys were still unprocessed after " + ATTEMPTS + " attempts");
            }
            request = Map.of(table, left);
            sleep(pause);
            pause *= 2;
        }
    }

    private void add(Map<String, AttributeValue> item, Map<String, RealTimeAlert> out) {
        AttributeValue pk = item.get("pk");
        if (pk == null || pk.s() == null || !pk.s().startsWith(DynamoDbAlertedFindings.PREFIX)) {
            return;
        }
        String key = pk.s().substring(DynamoDbAlertedFindings.PREFIX.length());
        String at = text(item, "alertedAt");
        Instant when;
        try {
            when = Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("expected item `" + pk.s() + "` of table `" + table
                    + "` to have alertedAt as an ISO-8601 instant but found `" + at + "`");
        }
        out.put(key, new RealTimeAlert(text(item, "eventId"), when, text(item, "severity")));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? "" : v.s();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry DynamoDB BatchGetItem", e);
        }
    }
}
