package io.iamguardrail.aws;

import io.iamguardrail.remediation.SnapshotStore;
import io.iamguardrail.state.PrincipalRef;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Last-known-good trust policies and boundaries in the guardrail's table: one item per principal,
 * {@code pk = snapshot#role#NAME} (or {@code snapshot#user#NAME}), attributes {@code trustPolicy}, {@code boundaryArn}
 * and {@code recordedAt}. No TTL: the last good state stays useful for as long as the principal lives.
 */
public final class DynamoDbSnapshotStore implements SnapshotStore {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoDbSnapshotStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    static String key(PrincipalRef ref) {
        return "snapshot#" + ref.kind().name().toLowerCase(Locale.ROOT) + "#" + ref.name();
    }

    @Override
    public Optional<String> trustPolicy(String roleName) {
        return attribute(new PrincipalRef(PrincipalRef.Kind.ROLE, roleName), "trustPolicy");
    }

    @Override
    public void recordTrustPolicy(String roleName, String document) {
        set(new PrincipalRef(PrincipalRef.Kind.ROLE, roleName), "trustPolicy", document);
    }

    @Override
    public Optional<String> boundary(PrincipalRef ref) {
        return attribute(ref, "boundaryArn");
    }

    @Override
    public void recordBoundary(PrincipalRef ref, String policyArn) {
        set(ref, "boundaryArn", policyArn);
    }

    @Override
    public Optional<String> cleanDefaultVersion(String policyArn) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("snapshot#policy#" + policyArn)))).item();
        return Optional.ofNullable(item == null ? null : item.get("cleanDefaultVersion")).map(AttributeValue::s);
    }

    @Override
    public void recordCleanDefaultVersion(String policyArn, String versionId) {
        dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("snapshot#policy#" + policyArn)))
                .updateExpression("SET cleanDefaultVersion = :v, recordedAt = :t")
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(versionId),
                        ":t", AttributeValue.fromS(clock.instant().toString()))));
    }

    private Optional<String> attribute(PrincipalRef ref, String name) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(key(ref))))).item();
        return Optional.ofNullable(item == null ? null : item.get(name)).map(AttributeValue::s);
    }

    private void set(PrincipalRef ref, String name, String value) {
        dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(key(ref))))
                .updateExpression("SET #a = :v, recordedAt = :t").expressionAttributeNames(Map.of("#a", name))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value),
                        ":t", AttributeValue.fromS(clock.instant().toString()))));
    }
}
