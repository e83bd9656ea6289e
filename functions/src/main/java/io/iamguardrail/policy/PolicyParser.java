package io.iamguardrail.policy;

import io.iamguardrail.json.Intrinsics;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.SourceLocation;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns policy JSON into a {@link PolicyDocument}, normalising every grammar variant the IAM policy language
 * allows (a single statement object or an array; a string or an array wherever a list is expected;
 * {@code Principal: "*"}; condition operators with {@code IfExists} and set qualifiers; any case of action names).
 * It never throws: problems come back as located {@link Diagnostic}s, and a statement that cannot be
 * understood is left out of the document rather than guessed at.
 */
public final class PolicyParser {

    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    private static final List<String> DOCUMENT_KEYS = List.of("Version", "Id", "Statement");
    private static final List<String> STATEMENT_KEYS = List.of("Sid", "Effect", "Action", "NotAction", "Resource",
            "NotResource", "Principal", "NotPrincipal", "Condition");
    private static final List<String> PRINCIPAL_KEYS = List.of("AWS", "Service", "Federated", "CanonicalUser");
    private static final List<String> OPERATORS = List.of("StringEquals", "StringNotEquals",
            "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "NumericEquals",
            "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
            "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
            "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
            "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null");

    private PolicyParser() {
    }

    /** Parses raw JSON text, such as a policy file or the {@code requestParameters} copy in a CloudTrail event. */
    public static ParseResult parse(String json, PolicyKind kind) {
        try {
            return parse(NodeReader.readJson(json), kind);
        } catch (NodeReadException e) {
            return failed(kind, e.at(), e.getMessage());
        }
    }

    /** Parses UTF-8 bytes (a file); invalid UTF-8 is reported, not replaced. */
    public static ParseResult parse(byte[] utf8, PolicyKind kind) {
        try {
            return parse(NodeReader.readJson(utf8), kind);
        } catch (NodeReadException e) {
            return failed(kind, e.at(), e.getMessage());
        }
    }

    /**
     * Parses a document as IAM Get* APIs and CloudTrail {@code responseElements} return it: URL-encoded
     * (RFC 3986). Only call this when the caller knows the input is encoded: decoding a raw policy would corrupt
     * a {@code %} or {@code +} inside a condition value.
     */
    public static ParseResult parseUrlEncoded(String encoded, PolicyKind kind) {
        String json;
        try {
            json = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return failed(kind, SourceLocation.UNKNOWN,
                    "expected a URL-encoded policy document but found an invalid escape sequence: " + e.getMessage());
        }
        return parse(json, kind);
    }

    /** Parses a tree already read (for example a policy inside a CloudFormation template); pointers stay absolute. */
    public static ParseResult parse(Node root, PolicyKind kind) {
        return new Reading(kind).document(root);
    }

    private static ParseResult failed(PolicyKind kind, SourceLocation at, String message) {
        return new ParseResult(Optional.empty(), kind == null ? PolicyKind.IDENTITY : kind,
                List.of(new Diagnostic(at, message)));
    }

    /** One parse; collects diagnostics as it goes. */
    private static final class Reading {
        private final PolicyKind requested;
        private final List<Diagnostic> problems = new ArrayList<>();

        Reading(PolicyKind requested) {
            this.requested = requested;
        }

        ParseResult document(Node root) {
            String function = Intrinsics.functionOf(root);
            if (function != null) {
                return intrinsicDocument(root, function);
            }
            if (!(root instanceof Node.Obj obj)) {
                problem(root.at(), "expected a policy document (a JSON object) but found " + root.kind());
                return new ParseResult(Optional.empty(), requested == null ? PolicyKind.IDENTITY : requested, problems);
            }
            unknownKeys(obj, DOCUMENT_KEYS, "policy document");
            Optional<String> version = Optional.empty();
            Node v = obj.get("Version");
            if (v != null) {
                String text = v instanceof Node.Str s ? s.value() : null;
                if (text == null || !VERSIONS.contains(text)) {
                    problem(v.at(), "expected `Version` to be \"2012-10-17\" or \"2008-10-17\" but found "
                            + describe(v));
                } else {
                    version = Optional.of(text);
                }
            }
            Optional<String> id = Optional.empty();
            Node idNode = obj.get("Id");
            if (idNode != null) {
                if (idNode instanceof Node.Str s) {
                    id = Optional.of(s.value());
                } else {
                    problem(idNode.at(), "expected `Id` to be a string but found " + idNode.kind());
                }
            }
            List<Statement> statements = new ArrayList<>();
            Node st = obj.get("Statement");
            if (st == null) {
                problem(obj.at(), "expected a `Statement` element but the document has none");
            } else if (st instanceof Node.Arr arr) {
                if (arr.items().isEmpty()) {
                    problem(arr.at(), "expected at least one statement but `Statement` is empty");
                }
                for (int i = 0; i < arr.items().size(); i++) {
                    for (Branch b : branches(arr.items().get(i), "")) {
                        Node item = b.node();
                        if (item instanceof Node.Obj so && Intrinsics.functionOf(so) == null) {
                            statement(so, i).map(x -> x.inBranch(b.label())).ifPresent(statements::add);
                        } else if (Intrinsics.functionOf(item) == null) {
                            problem(item.at(), "statement " + (i + 1) + ": expected an object but found " + item.kind());
                        }
                    }
                }
            } else {
                for (Node item : alternatives(st)) {
                    if (item instanceof Node.Obj single && Intrinsics.functionOf(single) == null) {
                        statement(single, 0).ifPresent(statements::add);
                    } else if (item instanceof Node.Arr arr) {
                        for (int i = 0; i < arr.items().size(); i++) {
                            if (arr.items().get(i) instanceof Node.Obj so && Intrinsics.functionOf(so) == null) {
                                statement(so, i).ifPresent(statements::add);
                            }
                        }
                    } else if (Intrinsics.functionOf(item) == null) {
                        problem(st.at(), "expected `Statement` to be an object or an array but found " + st.kind());
                    }
                }
            }
            PolicyDocument doc = new PolicyDocument(version, id, statements, obj.at());
            PolicyKind kind = requested != null ? requested : PolicyKind.detect(doc);
            checkForKind(doc, obj, kind);
            return new ParseResult(Optional.of(doc), kind, problems);
        }

        /**
         * A document computed by a template: both branches of an {@code Fn::If} are evaluated as one document (the
         * worst case of the two); anything else ({@code Fn::Transform}, an import) cannot be read and is left out.
         */
        private ParseResult intrinsicDocument(Node root, String function) {
            List<Statement> statements = new ArrayList<>();
            Optional<String> version = Optional.empty();
            PolicyKind kind = requested;
            if (function.equals("Fn::If")) {
                for (Node branch : alternatives(root)) {
                    ParseResult part = new Reading(requested).document(branch);
                    problems.addAll(part.diagnostics());
                    if (part.document().isPresent()) {
                        statements.addAll(part.document().get().statements());
                        version = version.or(() -> part.document().get().version());
                        kind = kind != null ? kind : part.kind();
                    }
                }
            }
            PolicyDocument doc = new PolicyDocument(version, Optional.empty(), statements, root.at());
            return new ParseResult(Optional.of(doc), kind != null ? kind : PolicyKind.detect(doc), problems);
        }

        /** Elements a policy of this kind must or must not have. */
        private void checkForKind(PolicyDocument doc, Node.Obj obj, PolicyKind kind) {
            for (Statement s : doc.statements()) {
                switch (kind) {
                    case IDENTITY -> {
                        if (s.principals().isPresent()) {
                            problem(s.principals().get().at(), s.label()
                                    + ": expected no `Principal` in an identity policy (it is the user, group or role"
                                    + " the policy is attached to) but found one");
                        }
                        if (s.resources() instanceof ResourceSpec.Implicit) {
                            problem(s.at(), s.label() + ": expected `Resource` or `NotResource` but found neither");
                        }
                    }
                    case TRUST -> {
                        if (s.principals().isEmpty()) {
                            problem(s.at(), s.label() + ": expected `Principal` or `NotPrincipal` in a trust policy"
                                    + " but found neither");
                        }
                    }
                    case RESOURCE -> {
                        if (s.principals().isEmpty()) {
                            problem(s.at(), s.label() + ": expected `Principal` or `NotPrincipal` in a"
                                    + " resource-based policy but found neither");
                        }
                    }
                }
            }
        }

        private Optional<Statement> statement(Node.Obj obj, int index) {
            String label = "statement " + (index + 1);
            int before = problems.size();
            unknownKeys(obj, STATEMENT_KEYS, label);
            Optional<String> sid = Optional.empty();
            Node sidNode = obj.get("Sid");
            if (sidNode != null) {
                if (sidNode instanceof Node.Str s) {
                    sid = Optional.of(s.value());
                    label = "statement `" + s.value() + "` (#" + (index + 1) + ")";
                } else {
                    problem(sidNode.at(), label + ": expected `Sid` to be a string but found " + sidNode.kind());
                }
            }
            Effect effect = null;
            Node e = obj.get("Effect");
            if (e == null) {
                problem(obj.at(), label + ": expected `Effect` (\"Allow\" or \"Deny\") but found none");
            } else if (e instanceof Node.Str s && (s.value().equals("Allow") || s.value().equals("Deny"))) {
                effect = s.value().equals("Allow") ? Effect.ALLOW : Effect.DENY;
            } else if (Intrinsics.functionOf(e) != null) {
                // Computed by the template: assume Allow (the worst case) unless every branch says Deny.
                boolean allDeny = !alternatives(e).isEmpty() && alternatives(e).stream()
                        .allMatch(b -> b instanceof Node.Str bs && bs.value().equals("Deny"));
                effect = allDeny ? Effect.DENY : Effect.ALLOW;
            } else {
                problem(e.at(), label + ": expected `Effect` to be \"Allow\" or \"Deny\" but found " + describe(e));
            }
            ActionSpec actions = actions(obj, label);
            ResourceSpec resources = resources(obj, label);
            Optional<PrincipalSpec> principals = principals(obj, label);
            List<Condition> conditions = conditions(obj.get("Condition"), label);
            if (problems.size() > before || effect == null || actions == null || resources == null) {
                return Optional.empty();
            }
            return Optional.of(new Statement(index, sid, effect, actions, resources, principals, conditions, obj.at()));
        }

        private ActionSpec actions(Node.Obj obj, String label) {
            Node action = obj.get("Action");
            Node notAction = obj.get("NotAction");
            if (action != null && notAction != null) {
                problem(notAction.at(), label + ": expected either `Action` or `NotAction` but found both");
                return null;
            }
            if (action == null && notAction == null) {
                problem(obj.at(), label + ": expected `Action` or `NotAction` but found neither");
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
                problem(item.at(), label + ": expected `" + element + "` entries of the form `service:action` (or"
                        + " `*`) but found `" + abbreviate(raw) + "`");
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
                problem(notResource.at(), label + ": expected either `Resource` or `NotResource` but found both");
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
                    problem(item.at(), label + ": expected `" + name + "` entries to be ARNs or `*` but found `"
                            + abbreviate(value) + "`");
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
                problem(notPrincipal.at(), label + ": expected either `Principal` or `NotPrincipal` but found both");
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
                    problem(s.at(), label + ": expected `" + name + "` to be \"*\" or an object such as"
                            + " {\"AWS\": ...} but found `" + abbreviate(s.value()) + "`");
                } else {
                    list.add(new Principal(Principal.Type.AWS, "*", false, s.at()));
                }
            } else if (node instanceof Node.Obj o && Intrinsics.functionOf(o) == null) {
                unknownKeys(o, PRINCIPAL_KEYS, label + " `" + name + "`");
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
                problem(node.at(), label + ": expected `" + name + "` to be \"*\" or an object but found "
                        + node.kind());
            }
            return Optional.of(principal != null ? new PrincipalSpec.Listed(list, node.at())
                    : new PrincipalSpec.Not(list, node.at()));
        }

        private List<Condition> conditions(Node node, String label) {
            List<Condition> out = new ArrayList<>();
            if (node == null) {
                return out;
            }
            if (Intrinsics.functionOf(node) != null) {
                // A computed condition block: take the branch with the fewest conditions (the worst case); a branch
                // that is AWS::NoValue, or a function we cannot read, means no condition at all.
                List<Node> branches = alternatives(node);
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
                problem(node.at(), label + ": expected `Condition` to be an object of operators but found "
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
                    problem(op.getValue().at(), label + ": expected a condition operator such as StringEquals but"
                            + " found `" + abbreviate(written) + "`"
                            + (suggestion == null ? "" : "; did you mean `" + suggestion + "`?"));
                    continue;
                }
                if (!(op.getValue() instanceof Node.Obj keys)) {
                    problem(op.getValue().at(), label + ": expected `" + written + "` to map condition keys to values"
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
                            problem(item.at(), label + ": expected the value of condition key `" + key.getKey()
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

        /** A string, or a non-empty array of strings; intrinsic functions pass as opaque values. */
        private List<Node> stringList(Node node, String label, String element) {
            if ("Fn::If".equals(Intrinsics.functionOf(node))) {
                // Both branches: the statement may grant either, so both are checked.
                List<Node> out = new ArrayList<>();
                for (Node b : alternatives(node)) {
                    out.addAll(stringList(b, label, element));
                }
                return out;
            }
            List<Node> out = new ArrayList<>();
            if (node instanceof Node.Str || Intrinsics.functionOf(node) != null) {
                out.add(node);
            } else if (node instanceof Node.Arr arr) {
                if (arr.items().isEmpty()) {
                    problem(arr.at(), label + ": expected `" + element + "` to list at least one value but it is empty");
                }
                for (Node item : arr.items()) {
                    if ("Fn::If".equals(Intrinsics.functionOf(item))) {
                        out.addAll(stringList(item, label, element));
                    } else if (isNoValue(item)) {
                        continue;
                    } else if (item instanceof Node.Str || Intrinsics.functionOf(item) != null) {
                        out.add(item);
                    } else {
                        problem(item.at(), label + ": expected `" + element + "` entries to be strings but found "
                                + item.kind());
                    }
                }
            } else {
                problem(node.at(), label + ": expected `" + element + "` to be a string or an array of strings but"
                        + " found " + node.kind());
            }
            return out;
        }

        private void unknownKeys(Node.Obj obj, List<String> valid, String where) {
            for (String key : obj.fields().keySet()) {
                if (!valid.contains(key)) {
                    String suggestion = Suggest.closest(key, valid);
                    problem(obj.get(key).at(), where + ": expected one of " + String.join(", ", valid)
                            + " but found `" + abbreviate(key) + "`"
                            + (suggestion == null ? "" : "; did you mean `" + suggestion + "`?"));
                }
            }
        }

        private void problem(SourceLocation at, String message) {
            problems.add(new Diagnostic(at, message));
        }
    }

    /**
     * The values a template value may take: both branches of an {@code Fn::If} (nested ones too), without
     * {@code AWS::NoValue}; any other node is its own single alternative.
     */
    /** One value of a template's {@code Fn::If}, with the branch it is in ({@code when `IsProd` is true}). */
    private record Branch(Node node, String label) {
    }

    private static List<Branch> branches(Node node, String label) {
        if (isNoValue(node)) {
            return List.of();
        }
        if ("Fn::If".equals(Intrinsics.functionOf(node)) && ((Node.Obj) node).get("Fn::If") instanceof Node.Arr a
                && a.items().size() == 3) {
            String condition = String.valueOf(Node.scalarText(a.items().get(0)));
            String prefix = label.isEmpty() ? "" : label + " and ";
            List<Branch> out = new ArrayList<>(branches(a.items().get(1), prefix + "when `" + condition + "` is true"));
            out.addAll(branches(a.items().get(2), prefix + "when `" + condition + "` is false"));
            return out;
        }
        return List.of(new Branch(node, label));
    }

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

    public static boolean isNoValue(Node node) {
        return "Ref".equals(Intrinsics.functionOf(node)) && ((Node.Obj) node).get("Ref") instanceof Node.Str s
                && s.value().equals("AWS::NoValue");
    }

    private static String describe(Node node) {
        String text = Node.scalarText(node);
        return text == null ? node.kind() : "`" + abbreviate(text) + "`";
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "…";
    }
}
