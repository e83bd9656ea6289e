package io.iamguardrail.template;

import io.iamguardrail.json.Intrinsics;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.SourceLocation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SAM policy templates ({@code S3CrudPolicy}, {@code DynamoDBCrudPolicy}, ...) as SAM defines them, read from
 * the generated {@code iam/sam-policy-templates.json} (see {@code functions/scripts/generate-sam-policy-templates.py}).
 * A template entry of a function's {@code Policies} expands to the statements SAM would put in the execution role.
 */
public final class SamPolicyTemplates {

    /** One policy template: its parameter names and its policy definition. */
    public record Template(String name, List<String> parameters, Node definition) {
    }

    static final String FORMAT = "iam-guardrail-sam-policy-templates/1";
    private static final String RESOURCE = "/iam/sam-policy-templates.json";
    private static volatile SamPolicyTemplates bundled;

    private final Map<String, Template> templates;
    private final String source;

    private SamPolicyTemplates(Map<String, Template> templates, String source) {
        this.templates = Collections.unmodifiableMap(templates);
        this.source = source;
    }

    public static SamPolicyTemplates bundled() {
        SamPolicyTemplates t = bundled;
        if (t == null) {
            synchronized (SamPolicyTemplates.class) {
                t = bundled;
                if (t == null) {
                    try (InputStream in = SamPolicyTemplates.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("expected the resource " + RESOURCE + " in the jar but it is missing");
                        }
                        t = read(in.readAllBytes());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    bundled = t;
                }
            }
        }
        return t;
    }

    /** Reads the generated file, refusing one of another format or with fewer templates than it declares. */
    static SamPolicyTemplates read(byte[] json) throws IOException {
        Node root;
        try {
            root = NodeReader.readJson(json);
        } catch (NodeReadException e) {
            throw new IOException("sam-policy-templates.json: " + e.getMessage() + " at " + e.at(), e);
        }
        if (!(root instanceof Node.Obj o) || !(o.get("format") instanceof Node.Str f) || !f.value().equals(FORMAT)) {
            throw new IOException("sam-policy-templates.json: expected format " + FORMAT);
        }
        if (!(o.get("templates") instanceof Node.Obj list) || !(o.get("count") instanceof Node.Num count)) {
            throw new IOException("sam-policy-templates.json: expected `templates` and `count`");
        }
        Map<String, Template> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : list.fields().entrySet()) {
            if (!(e.getValue() instanceof Node.Obj t) || !(t.get("parameters") instanceof Node.Arr params)
                    || !(t.get("definition") instanceof Node.Obj definition)) {
                throw new IOException("sam-policy-templates.json: expected `parameters` and `definition` in `" + e.getKey() + "`");
            }
            List<String> names = new ArrayList<>();
            params.items().forEach(p -> names.add(Node.scalarText(p)));
            out.put(e.getKey(), new Template(e.getKey(), List.copyOf(names), definition));
        }
        if (!count.text().equals(Integer.toString(out.size()))) {
            throw new IOException("sam-policy-templates.json: expected " + count.text()
                    + " templates, as it declares, but found " + out.size() + " (truncated?)");
        }
        String source = o.get("source") instanceof Node.Str s ? s.value() : "unknown";
        return new SamPolicyTemplates(out, source);
    }

    public Optional<Template> find(String name) {
        return Optional.ofNullable(templates.get(name));
    }

    public Map<String, Template> all() {
        return templates;
    }

    /** Where the definitions come from (package and version). */
    public String source() {
        return source;
    }

    /**
     * The policy document a template entry deploys, placed at {@code at}: each {@code Ref} of a parameter is
     * replaced by the value given, and a parameter that is missing or chosen at deploy time (a template parameter,
     * an import) is taken at its widest, {@code *}.
     */
    Node expand(Template template, Node given, SourceLocation at, TemplateValues values) {
        Map<String, Node> arguments = given instanceof Node.Obj o ? o.fields() : Map.of();
        return values.widest().resolve(substitute(Relocated.to(template.definition(), at), template, arguments, values, at));
    }

    private Node substitute(Node node, Template template, Map<String, Node> arguments, TemplateValues values,
                            SourceLocation at) {
        if (node instanceof Node.Obj o) {
            if ("Ref".equals(Intrinsics.functionOf(o)) && o.get("Ref") instanceof Node.Str name
                    && template.parameters().contains(name.value())) {
                return widest(arguments.get(name.value()), values, at);
            }
            Map<String, Node> fields = new LinkedHashMap<>();
            o.fields().forEach((k, v) -> fields.put(k, substitute(v, template, arguments, values, at)));
            return new Node.Obj(fields, o.at());
        }
        if (node instanceof Node.Arr a) {
            List<Node> items = new ArrayList<>();
            a.items().forEach(i -> items.add(substitute(i, template, arguments, values, at)));
            return new Node.Arr(items, a.at());
        }
        return node;
    }

    /** A parameter value as the widest thing it may be at deploy time. */
    private static Node widest(Node value, TemplateValues values, SourceLocation at) {
        Node resolved = value == null ? null : values.resolve(value);
        if (resolved instanceof Node.Str) {
            return resolved;
        }
        String function = Intrinsics.functionOf(resolved);
        if ("Ref".equals(function) && ((Node.Obj) resolved).get("Ref") instanceof Node.Str r && values.isResource(r.value())) {
            return resolved;
        }
        if ("Fn::GetAtt".equals(function) || "Fn::Sub".equals(function) || "Fn::Join".equals(function)) {
            return resolved;
        }
        return new Node.Str("*", resolved == null ? at : resolved.at());
    }
}
