package io.iamguardrail.template;

import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.json.Intrinsics;
import io.iamguardrail.json.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A template's roles, users and groups as the principals they will be once deployed, for the privilege graph: each
 * under the ARN CloudFormation gives it, with its documents read so that {@code !GetAtt DeployRole.Arn},
 * {@code !Ref DeployRole} and {@code ${DeployRole.Arn}} name that ARN. A principal without a literal name gets one
 * chosen at deployment ({@code stack-LogicalId-SUFFIX}): it is written with its logical id as its name and said so,
 * since a name pattern in a policy may or may not match what it will be called.
 */
public final class TemplatePrincipals {

    /** One principal: its kind, the ARN it is given here, and whether its name is chosen at deployment. */
    public record Principal(String logicalId, Subject.Type type, String arn, boolean namedAtDeployment, Subject subject,
                            List<String> groupArns, List<String> managedPolicyArns) {
    }

    private record Kind(Subject.Type type, String arnType, String nameProperty) {
    }

    private static final Map<String, Kind> KINDS = Map.of(
            "AWS::IAM::Role", new Kind(Subject.Type.ROLE, "role", "RoleName"),
            "AWS::IAM::User", new Kind(Subject.Type.USER, "user", "UserName"),
            "AWS::IAM::Group", new Kind(Subject.Type.GROUP, "group", "GroupName"),
            "AWS::IAM::ManagedPolicy", new Kind(Subject.Type.POLICY, "policy", "ManagedPolicyName"));

    private TemplatePrincipals() {
    }

    /** The principals of one template deployed in {@code account}. */
    public static List<Principal> read(Node.Obj template, String source, String account) {
        if (!(template.get("Resources") instanceof Node.Obj resources)) {
            return List.of();
        }
        Map<String, TemplateValues.Named> named = new LinkedHashMap<>();
        Map<String, Boolean> generated = new LinkedHashMap<>();
        resources.fields().forEach((id, n) -> {
            if (n instanceof Node.Obj r && r.get("Type") instanceof Node.Str type) {
                Node.Obj props = r.get("Properties") instanceof Node.Obj p ? p : new Node.Obj(Map.of(), r.at());
                Kind kind = KINDS.get(type.value());
                if (kind == null && type.value().startsWith("AWS::Serverless::") && props.get("Role") == null) {
                    // SAM names a function's or state machine's own role `<LogicalId>Role`.
                    name(named, generated, id + "Role", new Kind(Subject.Type.ROLE, "role", ""), props, account);
                } else if (kind != null) {
                    name(named, generated, id, kind, props, account);
                }
            }
        });
        Map<String, Subject> subjects = TemplateReader.principals(template, source,
                new TemplateValues(template, Optional.of(account), named));
        Map<String, List<String>> groups = memberships(resources, named);
        List<Principal> out = new ArrayList<>();
        subjects.forEach((id, subject) -> {
            // SAM's own role is read under the function's logical id.
            String key = named.containsKey(id) ? id : id + "Role";
            TemplateValues.Named n = named.get(key);
            if (n != null && subject.type() != Subject.Type.POLICY) {
                out.add(new Principal(id, subject.type(), n.arn(), generated.get(key), subject,
                        groups.getOrDefault(id, List.of()), managed(subject, account)));
            }
        });
        return out;
    }

    private static void name(Map<String, TemplateValues.Named> named, Map<String, Boolean> generated, String id,
                             Kind kind, Node.Obj props, String account) {
        String literal = kind.nameProperty().isEmpty() ? null : literal(props.get(kind.nameProperty()));
        String path = literal(props.get("Path"));
        String name = literal != null ? literal : id;
        String arn = "arn:aws:iam::" + account + ":" + kind.arnType() + (path != null && path.startsWith("/") ? path : "/")
                + name;
        // Ref returns the name, except for a managed policy: its ARN.
        named.put(id, new TemplateValues.Named(kind.type() == Subject.Type.POLICY ? arn : name, arn));
        generated.put(id, literal == null);
    }

    /** A user's groups of the template: its {@code Groups}, and {@code AWS::IAM::UserToGroupAddition}s naming it. */
    private static Map<String, List<String>> memberships(Node.Obj resources, Map<String, TemplateValues.Named> named) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        resources.fields().forEach((id, n) -> {
            if (!(n instanceof Node.Obj r) || !(r.get("Properties") instanceof Node.Obj props)) {
                return;
            }
            Node type = r.get("Type");
            if (type instanceof Node.Str t && t.value().equals("AWS::IAM::User")) {
                for (Node g : items(props.get("Groups"))) {
                    groupArn(g, named).ifPresent(arn -> out.computeIfAbsent(id, k -> new ArrayList<>()).add(arn));
                }
            } else if (type instanceof Node.Str t && t.value().equals("AWS::IAM::UserToGroupAddition")) {
                Optional<String> group = groupArn(props.get("GroupName"), named);
                for (Node u : items(props.get("Users"))) {
                    String user = reference(u);
                    if (user != null && group.isPresent()) {
                        out.computeIfAbsent(user, k -> new ArrayList<>()).add(group.get());
                    }
                }
            }
        });
        return out;
    }

    /** A group by {@code !Ref}, or by the literal name of a group of the template. */
    private static Optional<String> groupArn(Node n, Map<String, TemplateValues.Named> named) {
        String ref = reference(n);
        if (ref != null) {
            return Optional.ofNullable(named.get(ref)).map(TemplateValues.Named::arn);
        }
        String literal = literal(n);
        return named.values().stream().filter(v -> v.arn().contains(":group/") && v.ref().equals(literal))
                .map(TemplateValues.Named::arn).findFirst();
    }

    /** The customer-managed policies it holds by ARN: those a new default version would change. */
    private static List<String> managed(Subject s, String account) {
        List<String> out = new ArrayList<>();
        for (SourcedPolicy p : s.permissions()) {
            if (p.origin() == SourcedPolicy.Origin.MANAGED && !p.awsAuthored()) {
                out.add("arn:aws:iam::" + account + ":policy/" + p.name());
            }
        }
        return out;
    }

    private static String reference(Node n) {
        String f = Intrinsics.functionOf(n);
        if (f == null) {
            return n instanceof Node.Str s ? s.value() : null;
        }
        Node arg = ((Node.Obj) n).get(f);
        return f.equals("Ref") && arg instanceof Node.Str s ? s.value() : null;
    }

    private static String literal(Node n) {
        return n instanceof Node.Str s ? s.value() : null;
    }

    private static List<Node> items(Node n) {
        return n instanceof Node.Arr a ? a.items() : n == null ? List.of() : List.of(n);
    }
}
