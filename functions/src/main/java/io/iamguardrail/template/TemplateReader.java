package io.iamguardrail.template;

import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.json.Intrinsics;
import io.iamguardrail.json.Node;
import io.iamguardrail.policy.Diagnostic;
import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the IAM in a CloudFormation or SAM template and groups it by principal: each role, user and group with
 * its trust policy and the inline and managed policies of the template attached to it (through {@code Policies},
 * {@code ManagedPolicyArns}, {@code PermissionsBoundary}, or an AWS::IAM::Policy / ManagedPolicy naming it), and
 * each policy attached to nothing in the template on its own. SAM functions count as roles. Intrinsic functions
 * are kept as opaque values, never evaluated.
 */
public final class TemplateReader {

    private TemplateReader() {
    }

    /** Whether a document is a template rather than a policy: it has {@code Resources} or a template version. */
    public static boolean isTemplate(Node root) {
        return root instanceof Node.Obj o && (o.get("Resources") instanceof Node.Obj || o.get("AWSTemplateFormatVersion") != null);
    }

    /** The subjects to evaluate; problems with the template itself are reported as a policy with diagnostics. */
    public static List<Subject> read(Node.Obj template, String source) {
        Reading r = new Reading(source);
        Node resources = template.get("Resources");
        if (!(resources instanceof Node.Obj res)) {
            return List.of(r.problem(template, "expected `Resources` to be an object of resources but found "
                    + (resources == null ? "none" : resources.kind())));
        }
        // First the principals, so that policies can be attached to them.
        for (Map.Entry<String, Node> e : res.fields().entrySet()) {
            if (e.getValue() instanceof Node.Obj resource) {
                r.principal(e.getKey(), resource);
            }
        }
        for (Map.Entry<String, Node> e : res.fields().entrySet()) {
            if (e.getValue() instanceof Node.Obj resource) {
                r.policy(e.getKey(), resource);
            }
        }
        for (Map.Entry<String, Node> e : res.fields().entrySet()) {
            if (e.getValue() instanceof Node.Obj resource) {
                r.managedAttachments(e.getKey(), resource);
            }
        }
        return r.subjects();
    }

    private static final class Principal {
        final String logicalId;
        final Subject.Type type;
        final String label;
        SourcedPolicy trust;
        SourcedPolicy boundary;
        final List<SourcedPolicy> policies = new ArrayList<>();

        Principal(String logicalId, Subject.Type type, String label) {
            this.logicalId = logicalId;
            this.type = type;
            this.label = label;
        }
    }

    private static final class Reading {
        private final String source;
        private final Map<String, Principal> principals = new LinkedHashMap<>();
        private final Map<String, SourcedPolicy> managed = new LinkedHashMap<>();
        private final Map<String, Boolean> managedAttached = new LinkedHashMap<>();
        private final List<Subject> standalone = new ArrayList<>();

        Reading(String source) {
            this.source = source;
        }

        void principal(String id, Node.Obj resource) {
            String type = text(resource.get("Type"));
            Node.Obj props = resource.get("Properties") instanceof Node.Obj p ? p : new Node.Obj(Map.of(), resource.at());
            Subject.Type kind;
            String name;
            switch (type == null ? "" : type) {
                case "AWS::IAM::Role" -> {
                    kind = Subject.Type.ROLE;
                    name = "role " + literalOr(props.get("RoleName"), id);
                }
                case "AWS::IAM::User" -> {
                    kind = Subject.Type.USER;
                    name = "user " + literalOr(props.get("UserName"), id);
                }
                case "AWS::IAM::Group" -> {
                    kind = Subject.Type.GROUP;
                    name = "group " + literalOr(props.get("GroupName"), id);
                }
                case "AWS::Serverless::Function" -> {
                    if (props.get("Role") != null) {
                        return; // uses a role defined elsewhere; that role is evaluated on its own
                    }
                    kind = Subject.Type.ROLE;
                    name = "the execution role of function " + id;
                }
                default -> {
                    return;
                }
            }
            Principal p = new Principal(id, kind, name);
            principals.put(id, p);
            Node trust = props.get("AssumeRolePolicyDocument");
            if (trust != null) {
                p.trust = policy(trust, id + ".AssumeRolePolicyDocument", SourcedPolicy.Origin.TRUST, PolicyKind.TRUST);
            }
            Node policies = props.get("Policies");
            if (type.equals("AWS::Serverless::Function")) {
                samPolicies(p, policies);
            } else if (policies instanceof Node.Arr arr) {
                for (Node entry : arr.items()) {
                    for (Node item : PolicyParser.alternatives(entry)) {
                        if (item instanceof Node.Obj o && o.get("PolicyDocument") != null) {
                            String policyName = literalOr(o.get("PolicyName"), id + ".Policies");
                            p.policies.add(policy(o.get("PolicyDocument"), policyName, SourcedPolicy.Origin.INLINE,
                                    PolicyKind.IDENTITY));
                        }
                    }
                }
            }
        }

        /** SAM {@code Policies}: a managed policy name, a policy template, or a document with Statement. */
        private void samPolicies(Principal p, Node policies) {
            List<Node> items = policies instanceof Node.Arr arr ? arr.items()
                    : policies == null ? List.of() : List.of(policies);
            int i = 0;
            for (Node item : items.stream().flatMap(n -> PolicyParser.alternatives(n).stream()).toList()) {
                if (item instanceof Node.Obj o && o.get("Statement") != null) {
                    p.policies.add(policy(o, p.logicalId + ".Policies[" + i + "]", SourcedPolicy.Origin.INLINE,
                            PolicyKind.IDENTITY));
                }
                i++;
            }
        }

        void policy(String id, Node.Obj resource) {
            String type = text(resource.get("Type"));
            if (!"AWS::IAM::Policy".equals(type) && !"AWS::IAM::ManagedPolicy".equals(type)) {
                return;
            }
            Node.Obj props = resource.get("Properties") instanceof Node.Obj p ? p : new Node.Obj(Map.of(), resource.at());
            Node document = props.get("PolicyDocument");
            boolean isManaged = type.equals("AWS::IAM::ManagedPolicy");
            String name = literalOr(props.get(isManaged ? "ManagedPolicyName" : "PolicyName"), id);
            if (document == null) {
                standalone.add(problem(resource, "expected `PolicyDocument` in " + type + " `" + id + "` but found none"));
                return;
            }
            SourcedPolicy.Origin origin = isManaged ? SourcedPolicy.Origin.MANAGED : SourcedPolicy.Origin.INLINE;
            SourcedPolicy parsed = policy(document, name, origin, PolicyKind.IDENTITY);
            boolean attached = false;
            List<String> directUsers = new ArrayList<>();
            for (String list : List.of("Roles", "Users", "Groups")) {
                for (Node target : items(props.get(list))) {
                    String ref = ref(target);
                    Principal p = ref == null ? null : principals.get(ref);
                    if (p != null) {
                        p.policies.add(parsed);
                        attached = true;
                    } else if (list.equals("Users")) {
                        directUsers.add(literalOr(target, "?"));
                    }
                }
            }
            if (isManaged) {
                managed.put(id, parsed);
                managedAttached.put(id, attached);
            } else if (!attached) {
                Subject.Type t = directUsers.isEmpty() ? Subject.Type.POLICY : Subject.Type.USER;
                String who = directUsers.isEmpty() ? "policy " + name : "user " + directUsers.get(0);
                standalone.add(new Subject(source, Optional.of(who), t, Optional.empty(), List.of(parsed), Optional.empty()));
            }
        }

        /** ManagedPolicyArns and PermissionsBoundary that refer to managed policies of this template. */
        void managedAttachments(String id, Node.Obj resource) {
            Principal p = principals.get(id);
            if (p == null || !(resource.get("Properties") instanceof Node.Obj props)) {
                return;
            }
            for (Node arn : items(props.get("ManagedPolicyArns"))) {
                String ref = ref(arn);
                if (ref != null && managed.containsKey(ref)) {
                    p.policies.add(managed.get(ref));
                    managedAttached.put(ref, true);
                }
            }
            String boundary = ref(props.get("PermissionsBoundary"));
            if (boundary != null && managed.containsKey(boundary)) {
                SourcedPolicy b = managed.get(boundary);
                p.boundary = new SourcedPolicy(b.source(), b.name(), SourcedPolicy.Origin.BOUNDARY, b.parsed());
                managedAttached.put(boundary, true);
            }
        }

        List<Subject> subjects() {
            List<Subject> out = new ArrayList<>();
            for (Principal p : principals.values()) {
                if (p.trust == null && p.policies.isEmpty()) {
                    continue;
                }
                out.add(new Subject(source, Optional.of(p.label), p.type, Optional.ofNullable(p.trust), p.policies,
                        Optional.ofNullable(p.boundary)));
            }
            for (Map.Entry<String, SourcedPolicy> e : managed.entrySet()) {
                if (!managedAttached.getOrDefault(e.getKey(), false)) {
                    out.add(new Subject(source, Optional.of("managed policy " + e.getValue().name()), Subject.Type.POLICY,
                            Optional.empty(), List.of(e.getValue()), Optional.empty()));
                }
            }
            out.addAll(standalone);
            return out;
        }

        private SourcedPolicy policy(Node document, String name, SourcedPolicy.Origin origin, PolicyKind kind) {
            ParseResult parsed = PolicyParser.parse(document, kind);
            return new SourcedPolicy(source, name, origin, parsed);
        }

        Subject problem(Node at, String message) {
            ParseResult parsed = new ParseResult(Optional.empty(), PolicyKind.IDENTITY,
                    List.of(new Diagnostic(at.at(), message)));
            return Subject.of(new SourcedPolicy(source, source, SourcedPolicy.Origin.STANDALONE, parsed));
        }
    }

    private static List<Node> items(Node n) {
        if (n instanceof Node.Arr a) {
            return a.items();
        }
        return n == null ? List.of() : List.of(n);
    }

    /** The logical id of {@code !Ref X} or {@code !GetAtt X.Arn}, or null. */
    private static String ref(Node n) {
        String f = Intrinsics.functionOf(n);
        if (f == null) {
            return null;
        }
        Node arg = ((Node.Obj) n).get(f);
        if (f.equals("Ref")) {
            return text(arg);
        }
        if (f.equals("Fn::GetAtt") && arg instanceof Node.Arr a && !a.items().isEmpty()) {
            return text(a.items().get(0));
        }
        return null;
    }

    private static String text(Node n) {
        return n instanceof Node.Str s ? s.value() : null;
    }

    private static String literalOr(Node n, String fallback) {
        String t = text(n);
        return t != null ? t : fallback;
    }
}
