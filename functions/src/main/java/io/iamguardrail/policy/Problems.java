package io.iamguardrail.policy;

import io.iamguardrail.json.Node;
import io.iamguardrail.json.SourceLocation;

import java.util.ArrayList;
import java.util.List;

/** The diagnostics of one parse, in the order found; the readers of a document's parts share one. */
final class Problems {

    private final List<Diagnostic> found = new ArrayList<>();

    void add(SourceLocation at, String message) {
        found.add(new Diagnostic(at, message));
    }

    void addAll(List<Diagnostic> more) {
        found.addAll(more);
    }

    int size() {
        return found.size();
    }

    List<Diagnostic> all() {
        return List.copyOf(found);
    }

    /** A problem for every key of {@code obj} that is not one of {@code valid}, with the closest valid one. */
    void unknownKeys(Node.Obj obj, List<String> valid, String where) {
        for (String key : obj.fields().keySet()) {
            if (!valid.contains(key)) {
                String suggestion = Suggest.closest(key, valid);
                add(obj.get(key).at(), where + ": expected one of " + String.join(", ", valid)
                        + " but found `" + abbreviate(key) + "`"
                        + (suggestion == null ? "" : "; did you mean `" + suggestion + "`?"));
            }
        }
    }

    /** A scalar as written (shortened), else the kind of node: what a message says was found. */
    static String describe(Node node) {
        String text = Node.scalarText(node);
        return text == null ? node.kind() : "`" + abbreviate(text) + "`";
    }

    /** Long text cut to what a message can show. */
    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "…";
    }
}
