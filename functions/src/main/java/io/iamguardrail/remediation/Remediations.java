package io.iamguardrail.remediation;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every remediation action the guardrail knows, by the kind a backup names it with, and everything the remediation
 * executor may call, for the function's role: the template grants exactly {@link #grants()} (a template test compares
 * the two, per statement and resource).
 */
public final class Remediations {

    /** Backups: write (with SSE-KMS) and count the backups of an event. */
    public static final List<String> BACKUP_ACTIONS = List.of("s3:PutObject", "s3:ListBucket");
    /** Snapshots of last-known-good state and the rate guard's counter, in the guardrail's table. */
    public static final List<String> TABLE_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:UpdateItem");
    /** Backups and snapshots are signed before they are written and verified before they are trusted. */
    public static final List<String> MAC_ACTIONS = List.of("kms:GenerateMac", "kms:VerifyMac");
    /** Before any IAM write, the event is confirmed with CloudTrail by its id. */
    public static final List<String> CONFIRM_ACTIONS = List.of("cloudtrail:LookupEvents");

    /** One kind of action: how a backup entry of it is read back, and examples of it for every principal it takes. */
    private record Kind(Function<Backup.Entry, RemediationAction> fromBackup, Supplier<List<RemediationAction>> examples) {
    }

    /**
     * The one list of actions is the sealed interface's {@code permits}: each action declares its {@code KIND}, how
     * a backup entry of it is read ({@code fromBackup}) and examples of it ({@code examples}), and is found here by
     * them, so that a new action is its record, its name in {@code permits} and its template block.
     */
    private static final Map<String, Kind> KINDS = table();

    private static Map<String, Kind> table() {
        Map<String, Kind> k = new LinkedHashMap<>();
        for (Class<?> action : RemediationAction.class.getPermittedSubclasses()) {
            try {
                String kind = (String) action.getDeclaredField("KIND").get(null);
                Method fromBackup = action.getDeclaredMethod("fromBackup", Backup.Entry.class);
                Method examples = action.getDeclaredMethod("examples");
                k.put(kind, new Kind(e -> (RemediationAction) invoke(fromBackup, e), () -> examples(examples)));
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalStateException("expected remediation action " + action.getSimpleName() + " to declare"
                        + " `static final String KIND`, `static fromBackup(Backup.Entry)` and `static examples()` but "
                        + e, e);
            }
        }
        return k;
    }

    private static Object invoke(Method method, Object... args) {
        try {
            return method.invoke(null, args);
        } catch (InvocationTargetException e) {
            // What the action's own method threw (a backup entry it refuses), as it threw it.
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(method + " failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(method + " cannot be called from the remediation table: " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<RemediationAction> examples(Method examples) {
        return (List<RemediationAction>) invoke(examples);
    }

    private Remediations() {
    }

    /** The kinds, in the order they are listed: DETACH_POLICY, DELETE_INLINE_POLICY, ... */
    public static List<String> kinds() {
        return List.copyOf(KINDS.keySet());
    }

    /** The action a backup entry of this kind describes, read from its values; empty for a kind nobody knows. */
    static Optional<RemediationAction> fromBackup(Backup.Entry e) {
        return Optional.ofNullable(KINDS.get(e.action())).map(k -> k.fromBackup().apply(e));
    }

    /** One instance of every action for every kind of principal it applies to. */
    public static List<RemediationAction> examples() {
        List<RemediationAction> all = new ArrayList<>();
        KINDS.values().forEach(k -> all.addAll(k.examples().get()));
        return all;
    }

    /** Every call of the remediation executor, IAM and the stack's own resources, on what IAM authorises it. */
    public static SortedSet<Grant> grants() {
        SortedSet<Grant> all = new TreeSet<>();
        examples().forEach(a -> all.addAll(a.grants()));
        all.add(new Grant("s3:PutObject", Grant.Resource.BACKUP_OBJECTS));
        all.add(new Grant("s3:ListBucket", Grant.Resource.BACKUP_BUCKET));
        TABLE_ACTIONS.forEach(a -> all.add(new Grant(a, Grant.Resource.STATE_TABLE)));
        MAC_ACTIONS.forEach(a -> all.add(new Grant(a, Grant.Resource.MAC_KEY)));
        CONFIRM_ACTIONS.forEach(a -> all.add(new Grant(a, Grant.Resource.ANY)));
        return all;
    }

    /**
     * IAM, S3, DynamoDB, KMS and CloudTrail action names the executor may call, sorted: what the function role needs
     * for remediation.
     */
    public static SortedSet<String> requiredIamActions() {
        SortedSet<String> all = new TreeSet<>();
        grants().forEach(g -> all.add(g.action()));
        return all;
    }
}
