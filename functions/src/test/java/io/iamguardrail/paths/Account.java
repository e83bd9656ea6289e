package io.iamguardrail.paths;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test shorthand: an account of roles, users and groups with their policies, as the audit reads it. */
final class Account {

    static final String ID = "111122223333";
    static final String ADMIN = PrivilegeGraph.ADMIN;

    private final Map<String, Draft> drafts = new LinkedHashMap<>();
    private final Map<String, String> managed = new LinkedHashMap<>();

    private static final class Draft {
        final String name;
        final Member.Kind kind;
        String trust;
        final List<SourcedPolicy> permissions = new ArrayList<>();
        final List<String> attached = new ArrayList<>();
        final List<String> groups = new ArrayList<>();
        String boundary;

        Draft(String name, Member.Kind kind) {
            this.name = name;
            this.kind = kind;
        }
    }

    static String role(String name) {
        return "arn:aws:iam::" + ID + ":role/" + name;
    }

    static String user(String name) {
        return "arn:aws:iam::" + ID + ":user/" + name;
    }

    static String groupArn(String name) {
        return "arn:aws:iam::" + ID + ":group/" + name;
    }

    static String policyArn(String name) {
        return "arn:aws:iam::" + ID + ":policy/" + name;
    }

    /** A real AWS managed policy's document, from the corpus next to the project. */
    static String aws(String name) {
        String env = System.getenv("IAM_GUARDRAIL_CORPUS");
        Path corpus = Path.of(env != null && !env.isBlank() ? env : System.getProperty("corpus.dir", "../../shared/corpus"),
                "aws-managed-policies");
        try {
            return Files.readString(corpus.resolve(name + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException("expected the AWS managed policy " + name + " in " + corpus.toAbsolutePath(), e);
        }
    }

    static String allow(String actions, String resources) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":" + actions + ",\"Resource\":"
                + resources + "}]}";
    }

    static String deny(String actions, String resources) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":" + actions + ",\"Resource\":"
                + resources + "}]}";
    }

    static String q(String s) {
        return "\"" + s + "\"";
    }

    /** A trust policy admitting {@code principal} ({@code {"AWS": ...}} or {@code {"Service": ...}}). */
    static String trust(String principal) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" + principal
                + ",\"Action\":\"sts:AssumeRole\"}]}";
    }

    static String trustsArn(String arn) {
        return trust("{\"AWS\":" + q(arn) + "}");
    }

    static String trustsRoot() {
        return trust("{\"AWS\":\"arn:aws:iam::" + ID + ":root\"}");
    }

    static String trustsService(String service) {
        return trust("{\"Service\":" + q(service) + "}");
    }

    Account addRole(String name, String trust) {
        Draft d = new Draft(name, Member.Kind.ROLE);
        d.trust = trust;
        drafts.put(role(name), d);
        return this;
    }

    Account addUser(String name, String... groups) {
        Draft d = new Draft(name, Member.Kind.USER);
        d.groups.addAll(List.of(groups));
        drafts.put(user(name), d);
        return this;
    }

    Account addGroup(String name) {
        drafts.put(groupArn(name), new Draft(name, Member.Kind.GROUP));
        return this;
    }

    /** An inline policy of the principal (by ARN). */
    Account inline(String arn, String document) {
        Draft d = drafts.get(arn);
        d.permissions.add(new SourcedPolicy(arn + " inline policy p" + d.permissions.size(), "p" + d.permissions.size(),
                SourcedPolicy.Origin.INLINE, PolicyParser.parse(document, PolicyKind.IDENTITY)));
        return this;
    }

    /** An AWS managed policy attached to the principal. */
    Account awsPolicy(String arn, String name) {
        drafts.get(arn).permissions.add(new SourcedPolicy("arn:aws:iam::aws:policy/" + name + " v1", name,
                SourcedPolicy.Origin.MANAGED, PolicyParser.parse(aws(name), PolicyKind.IDENTITY)));
        return this;
    }

    /** A customer-managed policy attached to the principal. */
    Account managed(String arn, String name, String document) {
        managed.put(policyArn(name), document);
        Draft d = drafts.get(arn);
        d.permissions.add(new SourcedPolicy(policyArn(name) + " v1", name, SourcedPolicy.Origin.MANAGED,
                PolicyParser.parse(document, PolicyKind.IDENTITY)));
        d.attached.add(policyArn(name));
        return this;
    }

    Account boundary(String arn, String document) {
        drafts.get(arn).boundary = document;
        return this;
    }

    List<Member> members() {
        List<Member> out = new ArrayList<>();
        for (Map.Entry<String, Draft> e : drafts.entrySet()) {
            Draft d = e.getValue();
            List<SourcedPolicy> permissions = new ArrayList<>(d.permissions);
            List<String> attached = new ArrayList<>(d.attached);
            List<String> groupArns = new ArrayList<>();
            for (String g : d.groups) {
                Draft group = drafts.get(groupArn(g));
                groupArns.add(groupArn(g));
                group.permissions.forEach(p -> permissions.add(new SourcedPolicy(p.source(), p.name(),
                        SourcedPolicy.Origin.GROUP, p.parsed())));
                attached.addAll(group.attached);
            }
            Optional<SourcedPolicy> trust = Optional.ofNullable(d.trust).map(t -> new SourcedPolicy(e.getKey() + " trust policy",
                    "trust policy", SourcedPolicy.Origin.TRUST, PolicyParser.parse(t, PolicyKind.TRUST)));
            Optional<SourcedPolicy> boundary = Optional.ofNullable(d.boundary).map(b -> new SourcedPolicy(
                    policyArn("boundary-" + d.name) + " v1", "boundary", SourcedPolicy.Origin.BOUNDARY,
                    PolicyParser.parse(b, PolicyKind.IDENTITY)));
            Subject.Type type = switch (d.kind) {
                case ROLE -> Subject.Type.ROLE;
                case USER -> Subject.Type.USER;
                default -> Subject.Type.GROUP;
            };
            out.add(new Member(e.getKey(), d.name, d.kind, new Subject(e.getKey(), Optional.of(e.getKey()), type, trust,
                    permissions, boundary), groupArns, attached));
        }
        return out;
    }

    PrivilegeGraph graph() {
        return PrivilegeGraph.build(ActionCatalog.bundled(), Knowledge.bundled(), members());
    }

    List<PrivilegePath> paths() {
        return graph().paths(List.of());
    }

    /** {@code principal -> reaches} of every path. */
    List<String> reaching() {
        return paths().stream().map(p -> p.principal() + " -> " + p.reaches()).toList();
    }
}
