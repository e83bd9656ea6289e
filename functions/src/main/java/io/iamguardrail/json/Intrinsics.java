package io.iamguardrail.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** CloudFormation intrinsic functions, as far as a linter needs them: recognise them, never evaluate them. */
public final class Intrinsics {

    private static final Set<String> FUNCTIONS = Set.of("Ref", "Condition", "Fn::Base64", "Fn::Cidr",
            "Fn::FindInMap", "Fn::GetAtt", "Fn::GetAZs", "Fn::If", "Fn::ImportValue", "Fn::Join", "Fn::Select",
            "Fn::Split", "Fn::Sub", "Fn::Transform", "Fn::And", "Fn::Equals", "Fn::Not", "Fn::Or", "Fn::ToJsonString",
            "Fn::Length", "Fn::ForEach");

    private Intrinsics() {
    }

    /** {@code !Sub x} becomes {@code {"Fn::Sub": x}}; {@code !GetAtt a.b} becomes {@code {"Fn::GetAtt": ["a","b"]}}. */
    static Node fromShortForm(String tag, Node value, SourceLocation at) {
        String name = tag.startsWith("!") ? tag.substring(1) : tag;
        if (name.startsWith("tag:yaml.org")) {
            return value; // a standard YAML tag such as !!str
        }
        String function = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
        Node argument = value;
        if (function.equals("Fn::GetAtt") && value instanceof Node.Str s) {
            int dot = s.value().indexOf('.');
            argument = dot < 0 ? value : new Node.Arr(List.of(
                    new Node.Str(s.value().substring(0, dot), s.at()),
                    new Node.Str(s.value().substring(dot + 1), s.at())), s.at());
        }
        return new Node.Obj(Map.of(function, argument), at);
    }

    /** The function name when {@code node} is an intrinsic function call, else null. */
    public static String functionOf(Node node) {
        if (node instanceof Node.Obj o && o.fields().size() == 1) {
            String key = o.fields().keySet().iterator().next();
            return FUNCTIONS.contains(key) ? key : null;
        }
        return null;
    }

    /**
     * A readable stand-in for an intrinsic value: the template of a {@code Fn::Sub} (so
     * {@code arn:aws:s3:::${Bucket}/*} keeps its shape), otherwise {@code ${Ref:Name}} and the like.
     */
    public static String opaqueText(Node node) {
        String function = functionOf(node);
        if (function == null) {
            return null;
        }
        Node arg = ((Node.Obj) node).get(function);
        switch (function) {
            case "Fn::Sub": {
                Node template = arg instanceof Node.Arr a && !a.items().isEmpty() ? a.items().get(0) : arg;
                return template instanceof Node.Str s ? s.value() : "${Fn::Sub}";
            }
            case "Ref":
                return arg instanceof Node.Str s ? "${" + s.value() + "}" : "${Ref}";
            case "Fn::GetAtt": {
                List<String> parts = new ArrayList<>();
                if (arg instanceof Node.Arr a) {
                    a.items().forEach(i -> parts.add(String.valueOf(Node.scalarText(i))));
                }
                return "${" + String.join(".", parts) + "}";
            }
            case "Fn::Join": {
                if (arg instanceof Node.Arr a && a.items().size() == 2 && a.items().get(1) instanceof Node.Arr parts) {
                    String sep = String.valueOf(Node.scalarText(a.items().get(0)));
                    List<String> texts = new ArrayList<>();
                    for (Node p : parts.items()) {
                        String t = Node.scalarText(p);
                        texts.add(t != null ? t : opaqueTextOrPlaceholder(p));
                    }
                    return String.join(sep, texts);
                }
                return "${Fn::Join}";
            }
            default:
                return "${" + function + "}";
        }
    }

    private static String opaqueTextOrPlaceholder(Node node) {
        String t = opaqueText(node);
        return t == null ? "${?}" : t;
    }
}
