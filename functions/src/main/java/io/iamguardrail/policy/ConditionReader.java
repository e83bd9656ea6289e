package io.iamguardrail.policy;

import io.iamguardrail.json.Intrinsics;
import io.iamguardrail.json.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a statement's {@code Condition} block: operators with set qualifiers and {@code IfExists}, keys and values. */
final class ConditionReader {

    private static final List<String> OPERATORS = List.of("StringEquals", "StringNotEquals",
            "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "NumericEquals",
            "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
            "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
            "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
            "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null");

    private final Problems problems;

    ConditionReader(Problems problems) {
        this.problems = problems;
    }

    /** The conditions of a {@code Condition} block ({@code node} may be null: no block). */
    List<Condition> read(Node node, String label) {
        List<Condition> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (Intrinsics.functionOf(node) != null) {
            // A computed condition block: take the branch with the fewest conditions (the worst case); a branch
            // that is AWS::NoValue, or a function we cannot read, means no condition at all.
            List<Node> branches = Branches.alternatives(node);
            Node least = null;
            for (Node b : branches) {
                if (!(b instanceof Node.Obj bo) || Intrinsics.functionOf(b) != null) {
                    return out;
                }
                if (least == null || bo.fields().size() < ((Node.Obj) least).fields().size()) {
                    least = b;
                }
            }
            if (least == null || branches.size() < 2 && Intrinsics.functionOf(node).equals("Fn::If")) {
                return out;
            }
            node = least;
        }
        if (!(node instanceof Node.Obj block)) {
            problems.add(node.at(), label + ": expected `Condition` to be an object of operators but found "
                    + node.kind());
            return out;
        }
        for (Map.Entry<String, Node> op : block.fields().entrySet()) {
            String written = op.getKey();
            Condition.SetOperator set = Condition.SetOperator.NONE;
            String rest = written;
            if (rest.regionMatches(true, 0, "ForAllValues:", 0, 13)) {
                set = Condition.SetOperator.FOR_ALL_VALUES;
                rest = rest.substring(13);
            } else if (rest.regionMatches(true, 0, "ForAnyValue:", 0, 12)) {
                set = Condition.SetOperator.FOR_ANY_VALUE;
                rest = rest.substring(12);
            }
            boolean ifExists = false;
            if (rest.length() > 8 && rest.regionMatches(true, rest.length() - 8, "IfExists", 0, 8)) {
                ifExists = true;
                rest = rest.substring(0, rest.length() - 8);
            }
            String operator = canonicalOperator(rest);
            if (operator == null) {
                String suggestion = Suggest.closest(rest, OPERATORS);
                problems.add(op.getValue().at(), label + ": expected a condition operator such as StringEquals but"
                        + " found `" + Problems.abbreviate(written) + "`"
                        + (suggestion == null ? "" : "; did you mean `" + suggestion + "`?"));
                continue;
            }
            if (!(op.getValue() instanceof Node.Obj keys)) {
                problems.add(op.getValue().at(), label + ": expected `" + written + "` to map condition keys to values"
                        + " but found " + op.getValue().kind());
                continue;
            }
            for (Map.Entry<String, Node> key : keys.fields().entrySet()) {
                List<String> values = new ArrayList<>();
                Node v = key.getValue();
                List<Node> items = v instanceof Node.Arr arr ? arr.items() : List.of(v);
                for (Node item : items) {
                    String text = Node.scalarText(item);
                    if (text == null) {
                        text = Intrinsics.opaqueText(item);
                    }
                    if (text == null) {
                        problems.add(item.at(), label + ": expected the value of condition key `" + key.getKey()
                                + "` to be a string, number or boolean but found " + item.kind());
                        continue;
                    }
                    values.add(text);
                }
                out.add(new Condition(operator, ifExists, set, key.getKey(), values, v.at()));
            }
        }
        return out;
    }

    private static String canonicalOperator(String name) {
        for (String op : OPERATORS) {
            if (op.equalsIgnoreCase(name)) {
                return op;
            }
        }
        return null;
    }
}
