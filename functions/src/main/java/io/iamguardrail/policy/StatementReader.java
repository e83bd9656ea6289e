package io.iamguardrail.policy;

import io.iamguardrail.json.Intrinsics;
import io.iamguardrail.json.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one statement and its elements (effect, actions, resources, principals) for {@link PolicyParser}; the
 * {@code Condition} block goes to {@link ConditionReader}. Problems are collected, never thrown.
 */
final class StatementReader {

    private static final List<String> STATEMENT_KEYS = List.of("Sid", "Effect", "Action", "NotAction", "Resource",
            "NotResource", "Principal", "NotPrincipal", "Condition");
    private static final List<String> PRINCIPAL_KEYS = List.of("AWS", "Service", "Federated", "CanonicalUser");

    private final Problems problems;
    /** The kind the caller asked for, if any: an API Gateway shorthand resource is not valid in an identity policy. */
    private final PolicyKind requested;
    private final ConditionReader conditions;

    StatementReader(Problems problems, PolicyKind requested) {
        this.problems = problems;
        this.requested = requested;
        this.conditions = new ConditionReader(problems);
    }

    /** The statement at {@code index}, or none when it has a problem (the problem says what and where). */
    Optional<Statement> statement(Node.Obj obj, int index) {
        String label = "statement " + (index + 1);
        int before = problems.size();
        problems.unknownKeys(obj, STATEMENT_KEYS, label);
        Optional<String> sid = Optional.empty();
        Node sidNode = obj.get("Sid");
        if (sidNode != null) {
            if (sidNode instanceof Node.Str s) {
                sid = Optional.of(s.value());
                label = "statement `" + s.value() + "` (#" + (index + 1) + ")";
            } else {
                problems.add(sidNode.at(), label + ": expected `Sid` to be a string but found " + sidNode.kind());
            }
        }
        Effect effect = null;
        Node e = obj.get("Effect");
        if (e == null) {
            problems.add(obj.at(), label + ": expected `Effect` (\"Allow\" or \"Deny\") but found none");
        } else if (e instanceof Node.Str s && (s.value().equals("Allow") || s.value().equals("Deny"))) {
            effect = s.value().equals("Allow") ? Effect.ALLOW : Effect.DENY;
        } else if (Intrinsics.functionOf(e) != null) {
            // Computed by the template: assume Allow (the worst case) unless every branch says Deny.
            boolean allDeny = !Branches.alternatives(e).isEmpty() && Branches.alternatives(e).stream()
                    .allMatch(b -> b instanceof Node.Str bs && bs.value().equals("Deny"));
            effect = allDeny ? Effect.DENY : Effect.ALLOW;
        } else {
            problems.add(e.at(), label + ": expected `Effect` to be \"Allow\" or \"Deny\" but found "
                    + Problems.describe(e));
        }
        ActionSpec actions = actions(obj, label);
        ResourceSpec resources = resources(obj, label);
        Optional<PrincipalSpec> principals = principals(obj, label);
        List<Condition> conditions = this.conditions.read(obj.get("Condition"), label);
        if (problems.size() > before || effect == null || actions == null || resources == null) {
            return Optional.empty();
        }
        return Optional.of(new Statement(index, sid, effect, actions, resources, principals, conditions, obj.at()));
    }

    private ActionSpec actions(Node.Obj obj, String label) {
        Node action = obj.get("Action");
        Node notAction = obj.get("NotAction");
        if (action != null && notAction != null) {
            problems.add(notAction.at(), label + ": expected either `Action` or `NotAction` but found both");
            return null;
        }
        if (action == null && notAction == null) {
            problems.add(obj.at(), label + ": expected `Action` or `NotAction` but found neither");
            return null;
        }
        Node node = action != null ? action : notAction;
        String name = action != null ? "Action" : "NotAction";
        List<ActionPattern> patterns = new ArrayList<>();
        for (Node item : stringList(node, label, name)) {
            ActionPattern p = actionPattern(item, label, name);
            if (p != null) {
                patterns.add(p);
            }
        }
        return action != null ? new ActionSpec.Listed(patterns, node.at()) : new ActionSpec.Not(patterns, node.at());
    }

    private ActionPattern actionPattern(Node item, String label, String element) {
        String opaque = Intrinsics.opaqueText(item);
        if (opaque != null) {
            return new ActionPattern("?", "?", opaque, true, item.at());
        }
        String raw = ((Node.Str) item).value();
        if (raw.equals("*")) {
            return new ActionPattern("*", "*", raw, false, item.at());
        }
        int colon = raw.indexOf(':');
        // One pass over the characters finds whitespace and lower-cases ASCII (nearly every action name):
        // this runs for every action of every policy, much of it before the JIT has compiled it.
        char[] lower = raw.toCharArray();
        boolean ascii = true;
        boolean whitespace = false;
        for (int i = 0; i < lower.length; i++) {
            char c = lower[i];
            if (c >= 'A' && c <= 'Z') {
                lower[i] = (char) (c + ('a' - 'A'));
            } else if (c <= ' ' || c > '~') {
                ascii &= c <= '~';
                whitespace |= Character.isWhitespace(c);
            }
        }
        if (colon <= 0 || colon == raw.length() - 1 || raw.indexOf(':', colon + 1) >= 0 || whitespace) {
            problems.add(item.at(), label + ": expected `" + element + "` entries of the form `service:action` (or"
                    + " `*`) but found `" + Problems.abbreviate(raw) + "`");
            return null;
        }
        if (!ascii) {
            return new ActionPattern(raw.substring(0, colon).toLowerCase(Locale.ROOT),
                    raw.substring(colon + 1).toLowerCase(Locale.ROOT), raw, false, item.at());
        }
        return new ActionPattern(new String(lower, 0, colon), new String(lower, colon + 1, lower.length - colon - 1),
                raw, false, item.at());
    }

    private ResourceSpec resources(Node.Obj obj, String label) {
        Node resource = obj.get("Resource");
        Node notResource = obj.get("NotResource");
        if (resource != null && notResource != null) {
            problems.add(notResource.at(), label + ": expected either `Resource` or `NotResource` but found both");
            return null;
        }
        if (resource == null && notResource == null) {
            return new ResourceSpec.Implicit(obj.at());
        }
        Node node = resource != null ? resource : notResource;
        String name = resource != null ? "Resource" : "NotResource";
        List<ResourcePattern> patterns = new ArrayList<>();
        for (Node item : stringList(node, label, name)) {
            String opaque = Intrinsics.opaqueText(item);
            if (opaque != null && "Fn::Sub".equals(Intrinsics.functionOf(item))) {
                // A !Sub ARN keeps its shape: `arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*` is every role
                // of the account and must be judged so. Pseudo parameters are the account's own (any region,
                // the own account); any other ${Name} stays a literal: one specific resource.
                patterns.add(new ResourcePattern(opaque.replace("${AWS::Partition}", "aws")
                        .replace("${AWS::Region}", "*").replace("${AWS::AccountId}", "*")
                        .replace("${AWS::URLSuffix}", "amazonaws.com"), false, item.at()));
                continue;
            }
            if (opaque != null) {
                patterns.add(new ResourcePattern(opaque, true, item.at()));
                continue;
            }
            String value = ((Node.Str) item).value();
            // An API Gateway resource policy may name its own methods as `execute-api:/stage/GET/path`.
            boolean apiShorthand = value.startsWith("execute-api:/") && requested != PolicyKind.IDENTITY;
            if (!value.equals("*") && !value.startsWith("arn:") && !value.startsWith("${") && !apiShorthand) {
                problems.add(item.at(), label + ": expected `" + name + "` entries to be ARNs or `*` but found `"
                        + Problems.abbreviate(value) + "`");
                continue;
            }
            patterns.add(new ResourcePattern(value, false, item.at()));
        }
        return resource != null ? new ResourceSpec.Listed(patterns, node.at())
                : new ResourceSpec.Not(patterns, node.at());
    }

    private Optional<PrincipalSpec> principals(Node.Obj obj, String label) {
        Node principal = obj.get("Principal");
        Node notPrincipal = obj.get("NotPrincipal");
        if (principal != null && notPrincipal != null) {
            problems.add(notPrincipal.at(), label + ": expected either `Principal` or `NotPrincipal` but found both");
            return Optional.empty();
        }
        if (principal == null && notPrincipal == null) {
            return Optional.empty();
        }
        Node node = principal != null ? principal : notPrincipal;
        String name = principal != null ? "Principal" : "NotPrincipal";
        List<Principal> list = new ArrayList<>();
        if (node instanceof Node.Str s) {
            if (!s.value().equals("*")) {
                problems.add(s.at(), label + ": expected `" + name + "` to be \"*\" or an object such as"
                        + " {\"AWS\": ...} but found `" + Problems.abbreviate(s.value()) + "`");
            } else {
                list.add(new Principal(Principal.Type.AWS, "*", false, s.at()));
            }
        } else if (node instanceof Node.Obj o && Intrinsics.functionOf(o) == null) {
            problems.unknownKeys(o, PRINCIPAL_KEYS, label + " `" + name + "`");
            for (Map.Entry<String, Node> entry : o.fields().entrySet()) {
                Principal.Type type = switch (entry.getKey()) {
                    case "AWS" -> Principal.Type.AWS;
                    case "Service" -> Principal.Type.SERVICE;
                    case "Federated" -> Principal.Type.FEDERATED;
                    case "CanonicalUser" -> Principal.Type.CANONICAL_USER;
                    default -> null;
                };
                if (type == null) {
                    continue;
                }
                for (Node item : stringList(entry.getValue(), label, name + "." + entry.getKey())) {
                    String opaque = Intrinsics.opaqueText(item);
                    if (opaque != null) {
                        // !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" is known: the own account.
                        String value = opaque.replace("${AWS::Partition}", "aws");
                        boolean known = !value.replace("${AWS::AccountId}", "").contains("${");
                        list.add(new Principal(type, value, !known, item.at()));
                    } else {
                        list.add(new Principal(type, ((Node.Str) item).value(), false, item.at()));
                    }
                }
            }
        } else {
            problems.add(node.at(), label + ": expected `" + name + "` to be \"*\" or an object but found "
                    + node.kind());
        }
        return Optional.of(principal != null ? new PrincipalSpec.Listed(list, node.at())
                : new PrincipalSpec.Not(list, node.at()));
    }

    /** A string, or a non-empty array of strings; intrinsic functions pass as opaque values. */
    private List<Node> stringList(Node node, String label, String element) {
        if ("Fn::If".equals(Intrinsics.functionOf(node))) {
            // Both branches: the statement may grant either, so both are checked.
            List<Node> out = new ArrayList<>();
            for (Node b : Branches.alternatives(node)) {
                out.addAll(stringList(b, label, element));
            }
            return out;
        }
        List<Node> out = new ArrayList<>();
        if (node instanceof Node.Str || Intrinsics.functionOf(node) != null) {
            out.add(node);
        } else if (node instanceof Node.Arr arr) {
            if (arr.items().isEmpty()) {
                problems.add(arr.at(), label + ": expected `" + element + "` to list at least one value but it is empty");
            }
            for (Node item : arr.items()) {
                if ("Fn::If".equals(Intrinsics.functionOf(item))) {
                    out.addAll(stringList(item, label, element));
                } else if (Branches.isNoValue(item)) {
                    continue;
                } else if (item instanceof Node.Str || Intrinsics.functionOf(item) != null) {
                    out.add(item);
                } else {
                    problems.add(item.at(), label + ": expected `" + element + "` entries to be strings but found "
                            + item.kind());
                }
            }
        } else {
            problems.add(node.at(), label + ": expected `" + element + "` to be a string or an array of strings but"
                    + " found " + node.kind());
        }
        return out;
    }
}
