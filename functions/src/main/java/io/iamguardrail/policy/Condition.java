package io.iamguardrail.policy;

import io.iamguardrail.json.SourceLocation;

import java.util.List;
import java.util.Locale;

/**
 * One condition: {@code "ForAllValues:StringLikeIfExists": {"aws:TagKeys": [...]}} becomes operator
 * {@code StringLike}, ifExists true, set operator FOR_ALL_VALUES, key {@code aws:TagKeys}, values as written.
 */
public record Condition(String operator, boolean ifExists, SetOperator setOperator, String key, List<String> values,
                        SourceLocation at) {

    public enum SetOperator { NONE, FOR_ALL_VALUES, FOR_ANY_VALUE }

    public Condition {
        values = List.copyOf(values);
    }

    /** The key lower-cased: condition keys are case-insensitive. */
    public String keyLower() {
        return key.toLowerCase(Locale.ROOT);
    }

    /** The operator as written in a policy, for messages. */
    public String written() {
        String prefix = switch (setOperator) {
            case FOR_ALL_VALUES -> "ForAllValues:";
            case FOR_ANY_VALUE -> "ForAnyValue:";
            case NONE -> "";
        };
        return prefix + operator + (ifExists ? "IfExists" : "");
    }

    public boolean isNegated() {
        return operator.contains("Not");
    }
}
