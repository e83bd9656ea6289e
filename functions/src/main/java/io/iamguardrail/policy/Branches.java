package io.iamguardrail.policy;

import io.iamguardrail.json.Intrinsics;
import io.iamguardrail.json.Node;

import java.util.ArrayList;
import java.util.List;

/** The values a value of a CloudFormation template may take: the branches of its {@code Fn::If}s. */
public final class Branches {

    private Branches() {
    }

    /** One value of a template's {@code Fn::If}, with the branch it is in ({@code when `IsProd` is true}). */
    record Branch(Node node, String label) {
    }

    /** Each value {@code node} may take, with the branch it is in; {@code label} is the enclosing branch, if any. */
    static List<Branch> of(Node node, String label) {
        if (isNoValue(node)) {
            return List.of();
        }
        if ("Fn::If".equals(Intrinsics.functionOf(node)) && ((Node.Obj) node).get("Fn::If") instanceof Node.Arr a
                && a.items().size() == 3) {
            String condition = String.valueOf(Node.scalarText(a.items().get(0)));
            String prefix = label.isEmpty() ? "" : label + " and ";
            List<Branch> out = new ArrayList<>(of(a.items().get(1), prefix + "when `" + condition + "` is true"));
            out.addAll(of(a.items().get(2), prefix + "when `" + condition + "` is false"));
            return out;
        }
        return List.of(new Branch(node, label));
    }

    /**
     * The values a template value may take: both branches of an {@code Fn::If} (nested ones too), without
     * {@code AWS::NoValue}; any other node is its own single alternative.
     */
    public static List<Node> alternatives(Node node) {
        if (isNoValue(node)) {
            return List.of();
        }
        if ("Fn::If".equals(Intrinsics.functionOf(node)) && ((Node.Obj) node).get("Fn::If") instanceof Node.Arr a
                && a.items().size() == 3) {
            List<Node> out = new ArrayList<>(alternatives(a.items().get(1)));
            out.addAll(alternatives(a.items().get(2)));
            return out;
        }
        return List.of(node);
    }

    /** {@code Ref: AWS::NoValue}: the template leaves the value out. */
    public static boolean isNoValue(Node node) {
        return "Ref".equals(Intrinsics.functionOf(node)) && ((Node.Obj) node).get("Ref") instanceof Node.Str s
                && s.value().equals("AWS::NoValue");
    }
}
