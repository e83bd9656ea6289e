package io.iamguardrail.template;

import io.iamguardrail.json.Intrinsics;
import io.iamguardrail.json.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Computes what CloudFormation would compute before it deploys: {@code Fn::Sub} with the pseudo-parameters
 * ({@code AWS::Partition}, {@code AWS::URLSuffix}, {@code AWS::AccountId} when the account is known) and literal
 * variables, {@code Ref} of a pseudo-parameter, and {@code Fn::Join} of known parts become plain strings at the
 * place they were written. What depends on a deploy-time value (a parameter, an import, an attribute of a
 * resource, the region) is kept as it is: the rules read it as an opaque value.
 */
final class TemplateValues {

    static final String PARTITION = "aws";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Set<String> PSEUDO = Set.of("AWS::Partition", "AWS::URLSuffix", "AWS::AccountId",
            "AWS::Region", "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs", "AWS::NoValue");

    /** What {@code Ref} and {@code Fn::GetAtt X.Arn} of a role, user, group or managed policy of the template return. */
    record Named(String ref, String arn) {
    }

    private final Optional<String> account;
    private final Set<String> parameters;
    private final Set<String> resources;
    /** Region and an unknown account read as {@code *}: how a generated identity policy's ARNs are widest. */
    private final boolean widest;
    /** The template's principals by logical id, read in policy documents only: empty unless a graph is built. */
    private final Map<String, Named> named;

    TemplateValues(Node.Obj template, Optional<String> account) {
        this(template, account, Map.of());
    }

    TemplateValues(Node.Obj template, Optional<String> account, Map<String, Named> named) {
        this(account, template.get("Parameters") instanceof Node.Obj p ? p.fields().keySet() : Set.of(),
                template.get("Resources") instanceof Node.Obj r ? r.fields().keySet() : Set.of(), false, named);
    }

    private TemplateValues(Optional<String> account, Set<String> parameters, Set<String> resources, boolean widest,
                           Map<String, Named> named) {
        this.account = account;
        this.parameters = parameters;
        this.resources = resources;
        this.widest = widest;
        this.named = named;
    }

    /**
     * A policy document with the template's own principals named ({@code !GetAtt DeployRole.Arn} as the ARN the
     * role will have): a second pass for the privilege graph, the document unchanged otherwise.
     */
    Node inPolicy(Node document) {
        return named.isEmpty() ? document : resolve(document);
    }

    /** The same values without the principals' names: for the properties that attach policies by reference. */
    TemplateValues plain() {
        return named.isEmpty() ? this : new TemplateValues(account, parameters, resources, widest, Map.of());
    }

    /**
     * The same values, with {@code AWS::Region} and an unknown {@code AWS::AccountId} read as {@code *}: for the
     * resource ARNs of a SAM policy template, whose stack may be deployed in any region, so that a parameter taken
     * at its widest ({@code *}) makes an ARN that covers every queue or table, as it would once deployed.
     */
    TemplateValues widest() {
        return new TemplateValues(account, parameters, resources, true, named);
    }

    /** The tree with every value that can be computed before deployment replaced by its string. */
    Node resolve(Node node) {
        if (node instanceof Node.Obj o) {
            String function = Intrinsics.functionOf(o);
            if (function != null) {
                Node arg = resolve(o.get(function));
                Node computed = compute(function, arg, o);
                return computed != null ? computed : new Node.Obj(Map.of(function, arg), o.at());
            }
            Map<String, Node> fields = new LinkedHashMap<>();
            o.fields().forEach((k, v) -> fields.put(k, resolve(v)));
            return new Node.Obj(fields, o.at());
        }
        if (node instanceof Node.Arr a) {
            List<Node> items = new ArrayList<>(a.items().size());
            a.items().forEach(i -> items.add(resolve(i)));
            return new Node.Arr(items, a.at());
        }
        return node;
    }

    /** A resource of this template named by {@code Ref}, {@code Fn::GetAtt} or a {@code ${X}} variable. */
    boolean isResource(String logicalId) {
        return resources.contains(logicalId);
    }

    /** A template parameter: its value is chosen when the stack is deployed, so it can be anything. */
    boolean isParameter(String name) {
        return parameters.contains(name);
    }

    private Node compute(String function, Node arg, Node.Obj at) {
        return switch (function) {
            case "Ref" -> arg instanceof Node.Str s ? pseudo(s.value()).or(() -> name(s.value()))
                    .map(v -> (Node) new Node.Str(v, at.at())).orElse(null) : null;
            case "Fn::GetAtt" -> getAtt(arg).flatMap(this::name).map(v -> (Node) new Node.Str(v, at.at())).orElse(null);
            case "Fn::Sub" -> sub(arg, at);
            case "Fn::Join" -> join(arg, at);
            default -> null;
        };
    }

    /** {@code X} (what {@code Ref} returns) or {@code X.Arn} of a principal of the template, when naming them. */
    private Optional<String> name(String reference) {
        int dot = reference.indexOf('.');
        Named n = named.get(dot < 0 ? reference : reference.substring(0, dot));
        if (n == null || (dot >= 0 && !reference.substring(dot + 1).equals("Arn"))) {
            return Optional.empty();
        }
        return Optional.of(dot < 0 ? n.ref() : n.arn());
    }

    private static Optional<String> getAtt(Node arg) {
        if (arg instanceof Node.Str s) {
            return Optional.of(s.value());
        }
        if (arg instanceof Node.Arr a && a.items().size() == 2 && a.items().get(0) instanceof Node.Str id
                && a.items().get(1) instanceof Node.Str attribute) {
            return Optional.of(id.value() + "." + attribute.value());
        }
        return Optional.empty();
    }

    private Optional<String> pseudo(String name) {
        return switch (name) {
            case "AWS::Partition" -> Optional.of(PARTITION);
            case "AWS::URLSuffix" -> Optional.of("amazonaws.com");
            case "AWS::AccountId" -> widest ? account.or(() -> Optional.of("*")) : account;
            case "AWS::Region" -> widest ? Optional.of("*") : Optional.empty();
            default -> Optional.empty();
        };
    }

    /**
     * {@code Fn::Sub}: variables of the map that are strings and known pseudo-parameters are substituted; the
     * result is a string when nothing is left to deploy time, else a {@code Fn::Sub} of what is left.
     */
    private Node sub(Node arg, Node.Obj at) {
        Node template = arg;
        Map<String, Node> vars = Map.of();
        if (arg instanceof Node.Arr a && a.items().size() == 2 && a.items().get(1) instanceof Node.Obj m) {
            template = a.items().get(0);
            vars = m.fields();
        }
        if (!(template instanceof Node.Str text)) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        Matcher m = VARIABLE.matcher(text.value());
        boolean open = false;
        int last = 0;
        while (m.find()) {
            out.append(text.value(), last, m.start());
            last = m.end();
            String name = m.group(1);
            if (name.startsWith("!")) {
                out.append("${").append(name, 1, name.length()).append('}'); // ${!Literal} is written as ${Literal}
                continue;
            }
            Node var = vars.get(name);
            Optional<String> value = var instanceof Node.Str s ? Optional.of(s.value())
                    : var == null ? pseudo(name).or(() -> name(name)) : Optional.empty();
            if (value.isPresent()) {
                out.append(value.get());
            } else {
                out.append(m.group());
                open = true;
            }
        }
        out.append(text.value().substring(last));
        if (!open) {
            return new Node.Str(out.toString(), at.at());
        }
        if (vars.isEmpty() || out.toString().equals(text.value())) {
            return new Node.Obj(Map.of("Fn::Sub", new Node.Str(out.toString(), text.at())), at.at());
        }
        List<Node> args = List.of(new Node.Str(out.toString(), text.at()), new Node.Obj(vars, arg.at()));
        return new Node.Obj(Map.of("Fn::Sub", new Node.Arr(args, arg.at())), at.at());
    }

    private static Node join(Node arg, Node.Obj at) {
        if (!(arg instanceof Node.Arr a) || a.items().size() != 2 || !(a.items().get(0) instanceof Node.Str sep)
                || !(a.items().get(1) instanceof Node.Arr parts)) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (Node p : parts.items()) {
            if (!(p instanceof Node.Str s)) {
                return null;
            }
            texts.add(s.value());
        }
        return new Node.Str(String.join(sep.value(), texts), at.at());
    }

    /** Whether a name is a pseudo-parameter ({@code AWS::Region}...), not a parameter or resource. */
    static boolean isPseudo(String name) {
        return PSEUDO.contains(name);
    }
}
