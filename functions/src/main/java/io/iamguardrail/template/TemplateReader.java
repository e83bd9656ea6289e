package io.iamguardrail.template;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.json.Intrinsics;
import io.iamguardrail.json.Node;
import io.iamguardrail.policy.Branches;
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
 * each policy attached to nothing in the template on its own. SAM functions and state machines count as roles.
 *
 * <p>The template is read as CloudFormation would deploy it: pseudo-parameters and literal {@code Fn::Sub} /
 * {@code Fn::Join} are computed ({@link TemplateValues}), AWS managed policies (by ARN, or by name in SAM) come
 * from the bundled snapshot, SAM policy templates expand ({@link SamPolicyTemplates}), both branches of an
 * {@code Fn::If} count, and what cannot be known before deployment is kept as an unresolved reference, which is
 * reported rather than taken as harmless. Resource policies become subjects of their own ({@link ResourcePolicies}).
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
        return read(template, source, Optional.empty());
    }

    /** As {@link #read(Node.Obj, String)}, with {@code ${AWS::AccountId}} resolved to {@code account} when known. */
    public static List<Subject> read(Node.Obj template, String source, Optional<String> account) {
        Reading r = new Reading(source, new TemplateValues(template, account));
        Node resources = template.get("Resources");
        if (!(resources instanceof Node.Obj original)) {
            return List.of(r.problem(template, "expected `Resources` to be an object of resources but found "
                    + (resources == null ? "none" : resources.kind())));
        }
        List<Subject> subjects = r.read(original).subjects();
        subjects.addAll(ResourcePolicies.read(r.resolved, source));
        return subjects;
    }

    /** The template's roles, users and groups by logical id, their documents read with {@code values}. */
    static Map<String, Subject> principals(Node.Obj template, String source, TemplateValues values) {
        return template.get("Resources") instanceof Node.Obj original
                ? new Reading(source, values).read(original).byLogicalId() : Map.of();
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
        private final PolicyReferences references;
        private final TemplateValues values;
        /** Reads policy documents: with the template's principals named when a privilege graph is built. */
        private final TemplateValues naming;
        private Node.Obj resolved;

        Reading(String source, TemplateValues naming) {
            this.source = source;
            this.values = naming.plain();
            this.naming = naming;
            this.references = new PolicyReferences(source, values, ManagedPolicySnapshot.bundled());
        }

        Reading read(Node.Obj original) {
            resolved = (Node.Obj) values.resolve(original);
            // First the principals, so that policies can be attached to them.
            var objects = resolved.fields().entrySet().stream().filter(e -> e.getValue() instanceof Node.Obj).toList();
            objects.forEach(e -> principal(e.getKey(), (Node.Obj) e.getValue()));
            objects.forEach(e -> policy(e.getKey(), (Node.Obj) e.getValue()));
            objects.forEach(e -> managedAttachments(e.getKey(), (Node.Obj) e.getValue()));
            groupMemberships(resolved);
            return this;
        }

        Map<String, Subject> byLogicalId() {
            Map<String, Subject> out = new LinkedHashMap<>();
            principals.forEach((id, p) -> out.put(id, new Subject(source, Optional.of(p.label), p.type,
                    Optional.ofNullable(p.trust), p.policies, Optional.ofNullable(p.boundary))));
            return out;
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
                case "AWS::Serverless::Function", "AWS::Serverless::StateMachine" -> {
                    if (props.get("Role") != null) {
                        return; // uses a role defined elsewhere; that role is evaluated on its own
                    }
                    kind = Subject.Type.ROLE;
                    name = (type.equals("AWS::Serverless::Function") ? "the execution role of function "
                            : "the role of state machine ") + id;
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
            if (type.startsWith("AWS::Serverless::")) {
                samPolicies(p, policies);
            } else if (policies instanceof Node.Arr arr) {
                for (Node entry : arr.items()) {
                    for (Node item : Branches.alternatives(entry)) {
                        if (item instanceof Node.Obj o && o.get("PolicyDocument") != null) {
                            String policyName = literalOr(o.get("PolicyName"), id + ".Policies");
                            p.policies.add(policy(o.get("PolicyDocument"), policyName, SourcedPolicy.Origin.INLINE,
                                    PolicyKind.IDENTITY));
                        }
                    }
                }
            }
        }

        /**
         * SAM {@code Policies}: an AWS managed policy name or ARN, a SAM policy template ({@code S3CrudPolicy: {...}}),
         * or a document with Statement; a single entry may stand for the list.
         */
        private void samPolicies(Principal p, Node policies) {
            List<Node> items = policies instanceof Node.Arr arr ? arr.items()
                    : policies == null ? List.of() : List.of(policies);
            String property = p.logicalId + ".Policies";
            for (Node entry : items) {
                for (PolicyReferences.Branch b : PolicyReferences.branches(entry)) {
                    Node item = b.value();
                    String suffix = b.label().isEmpty() ? "" : " (" + b.label() + ")";
                    if (item instanceof Node.Obj o && o.get("Statement") != null) {
                        p.policies.add(policy(o, property + suffix, SourcedPolicy.Origin.INLINE, PolicyKind.IDENTITY));
                    } else if (item instanceof Node.Obj o && o.fields().size() == 1 && Intrinsics.functionOf(o) == null) {
                        String name = o.fields().keySet().iterator().next();
                        Optional<SamPolicyTemplates.Template> template = SamPolicyTemplates.bundled().find(name);
                        if (template.isPresent()) {
                            Node document = SamPolicyTemplates.bundled().expand(template.get(), o.get(name), o.at(), values);
                            p.policies.add(policy(document, "SAM policy template " + name + suffix,
                                    SourcedPolicy.Origin.INLINE, PolicyKind.IDENTITY));
                        } else {
                            p.policies.add(references.unresolvedPolicy(o.at(), "`" + name + "` in " + property
                                    + " is not a SAM policy template (" + SamPolicyTemplates.bundled().source()
                                    + "), so what it grants is unknown", name));
                        }
                    } else {
                        attach(p, references.samName(b, property));
                    }
                }
            }
        }

        private void attach(Principal p, PolicyReferences.Attached attached) {
            if (attached instanceof PolicyReferences.Policy policy) {
                p.policies.add(policy.policy());
            } else if (attached instanceof PolicyReferences.TemplatePolicy t && managed.containsKey(t.logicalId())) {
                p.policies.add(managed.get(t.logicalId()));
                managedAttached.put(t.logicalId(), true);
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

        /**
         * ManagedPolicyArns and PermissionsBoundary: managed policies of this template, AWS managed policies, or
         * references that cannot be resolved before deployment. A boundary is applied only when it is certain: a
         * boundary that is conditional or unknown is left out, which is the worst case.
         */
        void managedAttachments(String id, Node.Obj resource) {
            Principal p = principals.get(id);
            if (p == null || !(resource.get("Properties") instanceof Node.Obj props)) {
                return;
            }
            String property = id + ".ManagedPolicyArns";
            for (Node arn : items(props.get("ManagedPolicyArns"))) {
                for (PolicyReferences.Branch b : PolicyReferences.branches(arn)) {
                    attach(p, references.arn(b, property, SourcedPolicy.Origin.MANAGED));
                }
            }
            Node boundaryNode = props.get("PermissionsBoundary");
            List<PolicyReferences.Branch> boundaries = boundaryNode == null ? List.of() : PolicyReferences.branches(boundaryNode);
            if (boundaries.size() != 1 || "Fn::If".equals(Intrinsics.functionOf(boundaryNode))) {
                return;
            }
            PolicyReferences.Attached b = references.arn(boundaries.get(0), id + ".PermissionsBoundary",
                    SourcedPolicy.Origin.BOUNDARY);
            if (b instanceof PolicyReferences.TemplatePolicy t && managed.containsKey(t.logicalId())) {
                SourcedPolicy m = managed.get(t.logicalId());
                p.boundary = new SourcedPolicy(m.source(), m.name(), SourcedPolicy.Origin.BOUNDARY, m.parsed(),
                        m.awsAuthored());
                managedAttached.put(t.logicalId(), true);
            } else if (b instanceof PolicyReferences.Policy bp && bp.policy().document().isPresent()) {
                p.boundary = bp.policy();
            }
        }

        /**
         * A user of the template gets the policies of the template's groups it is in: through its {@code Groups}
         * or an {@code AWS::IAM::UserToGroupAddition}. Groups named by a literal name are matched by that name.
         */
        void groupMemberships(Node.Obj resources) {
            Map<String, List<String>> members = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : resources.fields().entrySet()) {
                if (!(e.getValue() instanceof Node.Obj resource) || !(resource.get("Properties") instanceof Node.Obj props)) {
                    continue;
                }
                String type = text(resource.get("Type"));
                if ("AWS::IAM::User".equals(type)) {
                    for (Node g : items(props.get("Groups"))) {
                        members.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(groupId(g, resources));
                    }
                } else if ("AWS::IAM::UserToGroupAddition".equals(type)) {
                    String group = groupId(props.get("GroupName"), resources);
                    for (Node u : items(props.get("Users"))) {
                        String user = ref(u);
                        members.computeIfAbsent(user != null ? user : literalOr(u, "?"), k -> new ArrayList<>()).add(group);
                    }
                }
            }
            members.forEach((user, groups) -> {
                Principal u = principals.get(user);
                for (String group : groups) {
                    Principal g = group == null ? null : principals.get(group);
                    if (u == null || g == null || u.type != Subject.Type.USER || g.type != Subject.Type.GROUP) {
                        continue;
                    }
                    for (SourcedPolicy p : g.policies) {
                        u.policies.add(new SourcedPolicy(p.source(), g.label + " " + p.name(), SourcedPolicy.Origin.GROUP,
                                p.parsed(), p.awsAuthored()));
                    }
                }
            });
        }

        /** The logical id of a group given by {@code !Ref} or by the literal GroupName of a template group. */
        private String groupId(Node n, Node.Obj resources) {
            String ref = ref(n);
            if (ref != null || !(n instanceof Node.Str s)) {
                return ref;
            }
            for (Map.Entry<String, Node> e : resources.fields().entrySet()) {
                if (e.getValue() instanceof Node.Obj r && r.get("Properties") instanceof Node.Obj props
                        && s.value().equals(text(props.get("GroupName")))) {
                    return e.getKey();
                }
            }
            return null;
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
            ParseResult parsed = PolicyParser.parse(naming.inPolicy(document), kind);
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
