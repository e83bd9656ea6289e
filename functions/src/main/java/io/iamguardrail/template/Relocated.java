package io.iamguardrail.template;

import io.iamguardrail.json.Node;
import io.iamguardrail.json.SourceLocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A document that is not written in the template (an AWS managed policy, a SAM policy template) placed at the
 * template entry that brings it in: every finding about it points at the line a user wrote.
 */
final class Relocated {

    private Relocated() {
    }

    static Node to(Node node, SourceLocation at) {
        if (node instanceof Node.Obj o) {
            Map<String, Node> fields = new LinkedHashMap<>();
            o.fields().forEach((k, v) -> fields.put(k, to(v, at)));
            return new Node.Obj(fields, at);
        }
        if (node instanceof Node.Arr a) {
            List<Node> items = new ArrayList<>(a.items().size());
            a.items().forEach(i -> items.add(to(i, at)));
            return new Node.Arr(items, at);
        }
        if (node instanceof Node.Str s) {
            return new Node.Str(s.value(), at);
        }
        if (node instanceof Node.Num n) {
            return new Node.Num(n.text(), at);
        }
        if (node instanceof Node.Bool b) {
            return new Node.Bool(b.value(), at);
        }
        return new Node.Null(at);
    }
}
