package io.iamguardrail.local;

import io.iamguardrail.json.Intrinsics;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.SourceLocation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The functions of a SAM template as {@code sam local invoke} sees them: handler, runtime, memory, timeout and the
 * environment, with the Globals applied and intrinsic values resolved the way SAM CLI resolves them locally: a
 * parameter by its default, a pseudo parameter by a fixed local value, a resource by its logical id.
 */
public final class LocalTemplate {

    /** The account and region a local invocation pretends to run in (the events/ samples' account). */
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    /** The stack name {@code ${AWS::StackName}} stands for: samconfig.toml's default. */
    public static final String STACK = "iam-guardrail";
    /** {@code AWS::StackId}: SAM CLI's local stack id, for this stack's name. */
    public static final String STACK_ID = "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":stack/" + STACK
            + "/51af3dc0-da77-11e4-872e-1234567db123";

    /** One {@code AWS::Serverless::Function}; {@code unresolved} names variables whose value could not be resolved. */
    public record Function(String logicalId, String handler, String runtime, int memoryMb, int timeoutSeconds,
                           Map<String, String> environment, Set<String> unresolved) {
        public Function {
            environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
            unresolved = Set.copyOf(unresolved);
        }
    }

    private final Path file;
    private final Node.Obj root;

    private LocalTemplate(Path file, Node.Obj root) {
        this.file = file;
        this.root = root;
    }

    public static LocalTemplate read(Path file) throws LocalException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LocalException("cannot read the template `" + file + "`: " + e.getMessage()
                    + " (run from the project folder, or give --template FILE)");
        }
        try {
            if (NodeReader.readYaml(text) instanceof Node.Obj o) {
                return new LocalTemplate(file, o);
            }
            throw new LocalException("expected the template `" + file + "` to be a mapping but it is not");
        } catch (NodeReadException e) {
            throw new LocalException("cannot read the template `" + file + "`: " + e.getMessage());
        }
    }

    /** The logical ids of the template's functions, sorted. */
    public Set<String> functionIds() {
        Set<String> ids = new TreeSet<>();
        obj(root.get("Resources")).fields().forEach((id, r) -> {
            if ("AWS::Serverless::Function".equals(text(obj(r).get("Type")))) {
                ids.add(id);
            }
        });
        return ids;
    }

    public Function function(String logicalId) throws LocalException {
        Node.Obj resource = obj(obj(root.get("Resources")).get(logicalId));
        if (!"AWS::Serverless::Function".equals(text(resource.get("Type")))) {
            throw new LocalException("expected a function of `" + file + "` but found `" + logicalId
                    + "`; its functions are " + String.join(", ", functionIds()));
        }
        Node.Obj properties = obj(resource.get("Properties"));
        Node.Obj globals = obj(obj(root.get("Globals")).get("Function"));
        String handler = text(properties.get("Handler") != null ? properties.get("Handler") : globals.get("Handler"));
        if (handler == null || handler.isBlank()) {
            throw new LocalException("expected a Handler for `" + logicalId + "` in `" + file + "` but found none");
        }
        Map<String, String> env = new LinkedHashMap<>();
        Set<String> unresolved = new TreeSet<>();
        for (Node.Obj variables : List.of(obj(obj(globals.get("Environment")).get("Variables")),
                obj(obj(properties.get("Environment")).get("Variables")))) {
            variables.fields().forEach((name, value) -> {
                String resolved = resolve(value);
                if (resolved == null) {
                    unresolved.add(name);
                    env.put(name, "");
                } else if (!resolved.equals(NO_VALUE)) {
                    env.put(name, resolved);
                }
            });
        }
        return new Function(logicalId, handler, textOr(properties, globals, "Runtime", "java21"),
                number(textOr(properties, globals, "MemorySize", "128")),
                number(textOr(properties, globals, "Timeout", "3")), env, unresolved);
    }

    private static final String NO_VALUE = "\u0000AWS::NoValue";

    /** The value a variable gets locally, or null for an intrinsic function SAM CLI does not resolve either. */
    private String resolve(Node value) {
        String function = Intrinsics.functionOf(value);
        if (function == null) {
            return value instanceof Node.Obj || value instanceof Node.Arr ? null : text(value);
        }
        Node arg = ((Node.Obj) value).get(function);
        switch (function) {
            case "Ref":
                return ref(text(arg));
            case "Fn::GetAtt": {
                List<String> parts = texts(arg);
                return parts.size() == 2 ? attribute(parts.get(0), parts.get(1)) : null;
            }
            case "Fn::Join": {
                List<Node> args = items(arg);
                if (args.size() != 2 || text(args.get(0)) == null) {
                    return null;
                }
                List<String> joined = new ArrayList<>();
                for (Node item : listOf(args.get(1))) {
                    String v = resolve(item);
                    if (v == null) {
                        return null;
                    }
                    if (!v.equals(NO_VALUE) && !v.isEmpty()) {
                        joined.add(v);
                    }
                }
                return String.join(text(args.get(0)), joined);
            }
            case "Fn::Sub":
                return arg instanceof Node.Str s ? substitute(s.value()) : null;
            case "Fn::Select": {
                List<Node> args = items(arg);
                String index = args.size() == 2 ? resolve(args.get(0)) : null;
                List<String> list = index == null || !index.matches("\\d{1,4}") ? null : resolveList(args.get(1));
                int i = list == null ? -1 : Integer.parseInt(index);
                return i >= 0 && i < list.size() ? list.get(i) : null;
            }
            default:
                return null;
        }
    }

    /** A list of values: {@code Fn::Split} of a resolvable string, or the items of {@link #listOf}. */
    private List<String> resolveList(Node node) {
        if ("Fn::Split".equals(Intrinsics.functionOf(node))) {
            List<Node> args = items(((Node.Obj) node).get("Fn::Split"));
            String delimiter = args.size() == 2 ? text(args.get(0)) : null;
            String source = delimiter == null || delimiter.isEmpty() ? null : resolve(args.get(1));
            return source == null ? null : List.of(source.split(Pattern.quote(delimiter), -1));
        }
        List<String> out = new ArrayList<>();
        for (Node item : listOf(node)) {
            String v = resolve(item);
            if (v == null) {
                return null;
            }
            out.add(v);
        }
        return out;
    }

    /** A list argument: an array, or a Ref to a CommaDelimitedList parameter. */
    private List<Node> listOf(Node node) {
        if (node instanceof Node.Arr a) {
            return a.items();
        }
        String ref = "Ref".equals(Intrinsics.functionOf(node)) ? text(((Node.Obj) node).get("Ref")) : null;
        if (ref != null && parameter(ref) != null) {
            List<Node> out = new ArrayList<>();
            for (String v : ref(ref).split(",", -1)) {
                out.add(new Node.Str(v.trim(), node.at()));
            }
            return out;
        }
        return List.of(node);
    }

    private String ref(String name) {
        if (name == null) {
            return null;
        }
        switch (name) {
            case "AWS::AccountId":
                return ACCOUNT;
            case "AWS::Region":
                return REGION;
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::StackName":
                return STACK;
            case "AWS::StackId":
                return STACK_ID;
            case "AWS::NoValue":
                return NO_VALUE;
            default:
                break;
        }
        Node.Obj parameter = parameter(name);
        if (parameter != null) {
            String d = text(parameter.get("Default"));
            return d == null ? "" : d;
        }
        // As SAM CLI does: a resource's Ref is its logical id (what a deployed stack would give cannot be known).
        return name;
    }

    /** {@code X.Arn} of a role becomes the ARN the stack would give it; other attributes stay {@code X.Attr}. */
    private String attribute(String logicalId, String attribute) {
        Node.Obj resource = obj(obj(root.get("Resources")).get(logicalId));
        if (attribute.equals("Arn") && "AWS::IAM::Role".equals(text(resource.get("Type")))) {
            Node name = obj(resource.get("Properties")).get("RoleName");
            String resolved = name == null ? logicalId : resolve(name);
            return "arn:aws:iam::" + ACCOUNT + ":role/" + (resolved == null ? logicalId : resolved);
        }
        return logicalId + "." + attribute;
    }

    private String substitute(String template) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("${", i);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            if (open < 0 || close < 0) {
                out.append(template, i, template.length());
                break;
            }
            out.append(template, i, open);
            String name = template.substring(open + 2, close);
            int dot = name.indexOf('.');
            String v = name.startsWith("!") ? "${" + name.substring(1) + "}"
                    : dot > 0 && !name.startsWith("AWS::") ? attribute(name.substring(0, dot), name.substring(dot + 1))
                    : ref(name);
            out.append(v == null || v.equals(NO_VALUE) ? "" : v);
            i = close + 1;
        }
        return out.toString();
    }

    private Node.Obj parameter(String name) {
        Node p = obj(root.get("Parameters")).get(name);
        return p instanceof Node.Obj o ? o : null;
    }

    private static Node.Obj obj(Node node) {
        return node instanceof Node.Obj o ? o : new Node.Obj(Map.of(), SourceLocation.UNKNOWN);
    }

    private static List<Node> items(Node node) {
        return node instanceof Node.Arr a ? a.items() : List.of();
    }

    private static List<String> texts(Node node) {
        List<String> out = new ArrayList<>();
        for (Node n : items(node)) {
            out.add(text(n));
        }
        return out;
    }

    private static String text(Node node) {
        if (node instanceof Node.Str s) {
            return s.value();
        }
        if (node instanceof Node.Num n) {
            return n.text();
        }
        if (node instanceof Node.Bool b) {
            return String.valueOf(b.value());
        }
        return null;
    }

    private static String textOr(Node.Obj properties, Node.Obj globals, String key, String fallback) {
        String v = text(properties.get(key));
        if (v == null) {
            v = text(globals.get(key));
        }
        return v == null ? fallback : v;
    }

    private int number(String text) throws LocalException {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new LocalException("expected a whole number in `" + file + "` but found `" + text + "`");
        }
    }
}
