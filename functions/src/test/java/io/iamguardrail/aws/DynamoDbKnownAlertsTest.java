package io.iamguardrail.aws;

import io.iamguardrail.audit.KnownAlerts;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BatchGetItem takes 100 keys at most and hands back what it did not process under throttling. */
class DynamoDbKnownAlertsTest {

    /** A table that holds a mark for every even-numbered role, and leaves keys unprocessed in its first requests. */
    static final class Table implements DynamoDbClient {
        final List<Integer> requestSizes = new ArrayList<>();
        int unprocessedPerRequest;
        int throttledRequests = Integer.MAX_VALUE;

        @Override
        public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
            KeysAndAttributes asked = request.requestItems().get("guardrail");
            requestSizes.add(asked.keys().size());
            List<Map<String, AttributeValue>> keys = asked.keys();
            int left = requestSizes.size() <= throttledRequests ? Math.min(unprocessedPerRequest, keys.size()) : 0;
            List<Map<String, AttributeValue>> found = new ArrayList<>();
            for (Map<String, AttributeValue> k : keys.subList(left, keys.size())) {
                String pk = k.get("pk").s();
                int n = Integer.parseInt(pk.substring(pk.indexOf("role/r") + 6, pk.indexOf('|')));
                if (n % 2 == 0) {
                    found.add(Map.of("pk", k.get("pk"), "eventId", AttributeValue.fromS("evt-" + n),
                            "alertedAt", AttributeValue.fromS("2026-11-25T10:15:00Z"), "severity", AttributeValue.fromS("HIGH")));
                }
            }
            return BatchGetItemResponse.builder().responses(Map.of("guardrail", found))
                    .unprocessedKeys(left == 0 ? Map.of() : Map.of("guardrail", asked.toBuilder().keys(keys.subList(0, left)).build()))
                    .build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private static Set<String> keys(int n) {
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            keys.add("arn:aws:iam::123456789012:role/r" + i + "|ADMIN_ACCESS");
        }
        return keys;
    }

    @Test
    void readsInChunksOfAHundredAndRetriesTheUnprocessedKeys() {
        Table table = new Table();
        table.unprocessedPerRequest = 0;
        Map<String, KnownAlerts.RealTimeAlert> found = new DynamoDbKnownAlerts(table, "guardrail", 0).find(keys(250));
        assertThat(table.requestSizes).containsExactly(100, 100, 50);
        assertThat(found).hasSize(125).containsKey("arn:aws:iam::123456789012:role/r248|ADMIN_ACCESS");
        assertThat(found.get("arn:aws:iam::123456789012:role/r4|ADMIN_ACCESS").describe())
                .isEqualTo("alerted in real time on 2026-11-25, event evt-4");

        Table throttled = new Table();
        throttled.unprocessedPerRequest = 30;
        throttled.throttledRequests = 2;
        DynamoDbKnownAlerts reader = new DynamoDbKnownAlerts(throttled, "guardrail", 0);
        assertThat(reader.find(keys(100))).hasSize(50);
        assertThat(throttled.requestSizes).containsExactly(100, 30, 30);
    }

    @Test
    void keysStillUnprocessedAfterTheRetriesAreAnError() {
        Table table = new Table();
        table.unprocessedPerRequest = 1000;
        assertThatThrownBy(() -> new DynamoDbKnownAlerts(table, "guardrail", 0).find(keys(3)))
                .hasMessage("expected DynamoDB table `guardrail` to return every alerted-finding mark but 3 keys were still"
                        + " unprocessed after 6 attempts");
    }
}
