package io.iamguardrail.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable JSON (or YAML) tree in which every node knows where it came from.
 * Jackson's own tree drops locations; the policy model needs them for every finding.
 */
public sealed interface Node permits Node.Obj, Node.Arr, Node.Str, Node.Num, Node.Bool, Node.Null {

    SourceLocation at();

    /** A short name of the node's type for error messages: "an object", "a string", ... */
    String kind();

    record Obj(Map<String, Node> fields, SourceLocation at) implements Node {
        public Obj {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        public Node get(String key) {
            return fields.get(key);
        }

        @Override
        public String kind() {
            return "an object";
        }
    }

    record Arr(List<Node> items, SourceLocation at) implements Node {
        public Arr {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "an array";
        }
    }

    record Str(String value, SourceLocation at) implements Node {
        @Override
        public String kind() {
            return "a string";
        }
    }

    record Num(String text, SourceLocation at) implements Node {
        @Override
        public String kind() {
            return "a number";
        }
    }

    record Bool(boolean value, SourceLocation at) implements Node {
        @Override
        public String kind() {
            return "a boolean";
        }
    }

    record Null(SourceLocation at) implements Node {
        @Override
        public String kind() {
            return "null";
        }
    }

    /**
     * Whether two nodes hold the same JSON value wherever they were read from: members in any order, items in
     * order, a string never equal to a number. Numbers compare as written: the rules read a number's text
     * ({@code 1} and {@code 1.0} differ to {@code StringEquals}), so two spellings are two documents.
     */
    static boolean sameValue(Node a, Node b) {
        if (a instanceof Obj x && b instanceof Obj y) {
            if (x.fields().size() != y.fields().size()) {
                return false;
            }
            for (Map.Entry<String, Node> member : x.fields().entrySet()) {
                Node other = y.get(member.getKey());
                if (other == null || !sameValue(member.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Arr x && b instanceof Arr y) {
            if (x.items().size() != y.items().size()) {
                return false;
            }
            for (int i = 0; i < x.items().size(); i++) {
                if (!sameValue(x.items().get(i), y.items().get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Num x && b instanceof Num y) {
            return x.text().equals(y.text());
        }
        if (a instanceof Str x && b instanceof Str y) {
            return x.value().equals(y.value());
        }
        if (a instanceof Bool x && b instanceof Bool y) {
            return x.value() == y.value();
        }
        return a instanceof Null && b instanceof Null;
    }

    /** The value of a scalar as IAM reads it (numbers and booleans are accepted where strings are expected). */
    static String scalarText(Node node) {
        if (node instanceof Str s) {
            return s.value();
        }
        if (node instanceof Num n) {
            return n.text();
        }
        if (node instanceof Bool b) {
            return Boolean.toString(b.value());
        }
        return null;
    }
}
