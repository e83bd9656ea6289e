package io.iamguardrail.aws;

import io.iamguardrail.remediation.SignedSnapshot;
import io.iamguardrail.remediation.Signer;
import io.iamguardrail.remediation.SnapshotStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Last-known-good state in the guardrail's table, one signed item per fact: {@code pk = snapshot#ATTRIBUTE#UNIQUE_ID}
 * (for example {@code snapshot#trustPolicy#AROA…}), with {@code kind}, {@code uniqueId}, {@code name} (the ARN),
 * {@code attribute}, {@code snapshot} (the value), {@code recordedAt}, {@code mac} and {@code macKeyId}, and
 * {@code expiresAt} (epoch seconds, the table's TTL attribute) 90 days on. Anyone who can write the table can
 * rewrite an item, but not make its MAC: such an item is rejected on read, never written back to IAM.
 */
public final class DynamoDbSnapshotStore implements SnapshotStore {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Signer signer;
    private final Clock clock;
    private final AccountScope scope;

    /** @param signer a real key: a snapshot nobody can verify is never trusted, so there is no unsigned table store */
    public DynamoDbSnapshotStore(DynamoDbClient dynamo, String table, Signer signer, Clock clock) {
        this(dynamo, table, signer, clock, AccountScope.OWN);
    }

    /** The snapshots of one account of a hub's ({@link AccountScope}). */
    public DynamoDbSnapshotStore(DynamoDbClient dynamo, String table, Signer signer, Clock clock, AccountScope scope) {
        if (signer.keyId().isEmpty()) {
            throw new IllegalArgumentException("expected a MAC key for the snapshots in table " + table
                    + " but found none: snapshots nobody can verify are never trusted");
        }
        this.dynamo = dynamo;
        this.table = table;
        this.signer = signer;
        this.clock = clock;
        this.scope = scope;
    }

    @Override
    public Read read(Slot slot) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(scope.key(slot.key()))))).item();
        if (item == null || item.isEmpty()) {
            return new Absent();
        }
        Optional<String> value = string(item, "snapshot");
        if (value.isEmpty()) {
            return new Rejected("expected a `snapshot` attribute in item " + slot.key() + " of table " + table + " but found none");
        }
        Optional<Signer.Mac> mac = string(item, "mac").flatMap(m -> string(item, "macKeyId")
                .filter(k -> !k.isBlank() && !m.isBlank()).map(k -> new Signer.Mac(k, m)));
        return SignedSnapshot.check(signer, slot, value.get(), string(item, "recordedAt").orElse(""), mac, clock.instant());
    }

    @Override
    public void record(Slot slot, String value) {
        Instant now = clock.instant();
        Signer.Mac mac = signer.sign(SignedSnapshot.canonical(slot, value, now))
                .orElseThrow(() -> new IllegalStateException("expected " + signer + " to sign the snapshot " + slot.key()));
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":kind", AttributeValue.fromS(slot.kind()));
        values.put(":uniqueId", AttributeValue.fromS(slot.uniqueId()));
        values.put(":name", AttributeValue.fromS(slot.name()));
        values.put(":attribute", AttributeValue.fromS(slot.attribute()));
        values.put(":snapshot", AttributeValue.fromS(value));
        values.put(":recordedAt", AttributeValue.fromS(now.toString()));
        values.put(":mac", AttributeValue.fromS(mac.value()));
        values.put(":macKeyId", AttributeValue.fromS(mac.keyId()));
        values.put(":expiresAt", AttributeValue.fromN(Long.toString(now.plus(SignedSnapshot.LIFETIME).getEpochSecond())));
        Map<String, String> names = new LinkedHashMap<>();
        for (String a : new String[]{"kind", "uniqueId", "name", "attribute", "snapshot", "recordedAt", "mac", "macKeyId",
                "expiresAt"}) {
            names.put("#" + a, a); // names, not words: several are DynamoDB reserved words
        }
        // UpdateItem replaces every attribute: the function's role has GetItem and UpdateItem on the table.
        dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(scope.key(slot.key()))))
                .updateExpression(update(names.keySet())).expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    /** {@code SET #kind = :kind, ...}: each value placeholder is its name's, with a colon. */
    private static String update(Set<String> names) {
        return "SET " + String.join(", ", names.stream().map(n -> n + " = :" + n.substring(1)).toList());
    }

    private static Optional<String> string(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
    }
}
