package io.iamguardrail.pipeline;

import io.iamguardrail.change.ChangeDecoder;
import io.iamguardrail.change.EventKind;
import io.iamguardrail.change.IamChange;
import io.iamguardrail.config.Severity;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.policy.LambdaPermissionDocument;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.rules.Rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resource-policy changes that can open a resource to the world or to another account, judged as they happen: the
 * new bucket, key, topic, queue, repository, secret or function policy is read from the event and evaluated with
 * the resource rules; an ACL granting AllUsers and a weakened public access block are reported directly. Alert
 * only: these changes are never remediated automatically (no undo of them is exact enough to run unattended).
 */
public final class ResourcePolicyChange {

    private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    private static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    private static final String NOTE = "alert only: resource-policy changes are not remediated automatically";
    private static final RuleMetadata PUBLIC = Rules.catalogue().stream().filter(r -> r.id().equals("RESOURCE_PUBLIC"))
            .findFirst().orElseThrow();

    private final Engine engine;
    private final CloudTrailEvent e;
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Optional<String> target = Optional.empty();

    private ResourcePolicyChange(Engine engine, CloudTrailEvent e) {
        this.engine = engine;
        this.e = e;
    }

    /** Whether this event is one of these changes (by name and by the shape of its request). */
    public static boolean handles(CloudTrailEvent e) {
        return ChangeDecoder.decode(e) instanceof IamChange.ResourcePolicySet;
    }

    static Decision evaluate(Engine engine, CloudTrailEvent e, EventKind kind, Severity threshold) {
        ResourcePolicyChange run = new ResourcePolicyChange(engine, e);
        run.read(kind);
        run.notes.add(NOTE);
        boolean alert = run.findings.stream().anyMatch(f -> f.severity().atLeast(threshold));
        Optional<Severity> worst = run.findings.stream().map(Finding::severity).min(Enum::compareTo);
        String reason = alert ? "findings at or above " + threshold + " (worst: " + worst.get() + ")"
                : run.findings.isEmpty() ? "no finding" : "no finding at or above " + threshold + " (worst: " + worst.get() + ")";
        return new Decision(e.eventId(), e.eventName(), alert ? Verdict.ALERT : Verdict.NO_ALERT, reason, run.target,
                run.findings, List.of(), run.notes, Optional.of(e));
    }

    private void read(EventKind kind) {
        switch (kind) {
            case PutBucketPolicy -> policy("bucket policy of " + e.request("bucketName").orElse("?"),
                    e.requestParameters().get("bucketPolicy"));
            case PutBucketAcl -> bucketAcl();
            case PutBucketPublicAccessBlock, DeleteBucketPublicAccessBlock -> publicAccessBlock();
            case AddPermission20150331v2 -> policy("Lambda permission " + e.request("statementId").orElse("?")
                    + " of function " + e.request("functionName").orElse("?"), LambdaPermissionDocument.of(capitalised()));
            case PutKeyPolicy -> policy("key policy of " + e.request("keyId").orElse("?"), e.requestParameters().get("policy"));
            case CreateGrant -> grant();
            case SetTopicAttributes -> {
                if (e.request("attributeName").map("Policy"::equals).orElse(false)) {
                    policy("topic policy of " + e.request("topicArn").orElse("?"), e.requestParameters().get("attributeValue"));
                } else {
                    target = e.request("topicArn").map(t -> "topic " + t);
                }
            }
            case SetQueueAttributes -> {
                Node attributes = e.requestParameters().get("attributes");
                Node policy = attributes instanceof Node.Obj o ? o.get("Policy") : null;
                if (policy != null) {
                    policy("queue policy of " + e.request("queueUrl").orElse("?"), policy);
                } else {
                    target = e.request("queueUrl").map(q -> "queue " + q);
                }
            }
            case SetRepositoryPolicy -> policy("repository policy of " + e.request("repositoryName").orElse("?"),
                    e.requestParameters().get("policyText"));
            case PutResourcePolicy -> policy("resource policy of secret " + e.request("secretId").orElse("?"),
                    e.requestParameters().get("resourcePolicy"));
            default -> notes.add("event not read: `" + e.eventName() + "`");
        }
    }

    /** Evaluates a policy document given as an object or as JSON text (as most services log it). */
    private void policy(String name, Node document) {
        target = Optional.of(name);
        if (document == null) {
            notes.add("the event carries no policy document for the " + name);
            return;
        }
        Node doc = document;
        if (document instanceof Node.Str text) {
            try {
                doc = NodeReader.readJson(text.value());
            } catch (NodeReadException unreadable) {
                notes.add("the " + name + " in the event is not JSON: " + unreadable.getMessage());
                return;
            }
        }
        SourcedPolicy policy = new SourcedPolicy(name, name, SourcedPolicy.Origin.RESOURCE,
                PolicyParser.parse(doc, PolicyKind.RESOURCE));
        Report report = engine.evaluate(new Subject(name, Optional.of(name), Subject.Type.RESOURCE, Optional.empty(),
                List.of(policy), Optional.empty()));
        findings.addAll(report.findings());
    }

    /** An ACL grant to AllUsers (anyone) or AuthenticatedUsers (any AWS account) makes the bucket public. */
    private void bucketAcl() {
        String bucket = e.request("bucketName").orElse("?");
        target = Optional.of("ACL of bucket " + bucket);
        List<String> canned = texts(e.requestParameters().get("x-amz-acl"));
        for (String acl : canned) {
            if (acl.equals("public-read") || acl.equals("public-read-write") || acl.equals("authenticated-read")) {
                report(acl.equals("public-read-write") ? Severity.CRITICAL : Severity.HIGH, e.requestParameters().at(),
                        "the canned ACL `" + acl + "` on bucket `" + bucket + "` lets "
                                + (acl.startsWith("authenticated") ? "any AWS account" : "anyone") + " "
                                + (acl.endsWith("write") ? "read and write" : "read") + " it");
            }
        }
        Node policy = e.requestParameters().get("AccessControlPolicy");
        Node list = policy instanceof Node.Obj p ? p.get("AccessControlList") : null;
        Node grants = list instanceof Node.Obj l ? l.get("Grant") : null;
        for (Node g : grants instanceof Node.Arr a ? a.items() : grants == null ? List.<Node>of() : List.of(grants)) {
            if (!(g instanceof Node.Obj grant) || !(grant.get("Grantee") instanceof Node.Obj grantee)) {
                continue;
            }
            String uri = Optional.ofNullable(Node.scalarText(grantee.get("URI"))).orElse("");
            String permission = Optional.ofNullable(Node.scalarText(grant.get("Permission"))).orElse("?");
            if (uri.equals(ALL_USERS) || uri.equals(AUTHENTICATED_USERS)) {
                boolean write = permission.startsWith("WRITE") || permission.equals("FULL_CONTROL");
                report(write ? Severity.CRITICAL : Severity.HIGH, grant.at(), "the ACL of bucket `" + bucket + "` grants `"
                        + permission + "` to " + (uri.equals(ALL_USERS) ? "AllUsers (anyone)" : "AuthenticatedUsers (any AWS account)"));
            }
        }
    }

    /** Turning off (or deleting) a bucket's public access block lets a public policy or ACL take effect. */
    private void publicAccessBlock() {
        String bucket = e.request("bucketName").orElse("?");
        target = Optional.of("public access block of bucket " + bucket);
        if (e.eventName().startsWith("Delete")) {
            report(Severity.HIGH, e.requestParameters().at(), "the public access block of bucket `" + bucket
                    + "` was deleted: a public bucket policy or ACL now takes effect");
            return;
        }
        Node config = e.requestParameters().get("PublicAccessBlockConfiguration");
        List<String> off = new ArrayList<>();
        if (config instanceof Node.Obj c) {
            for (String flag : List.of("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")) {
                if ("false".equalsIgnoreCase(String.valueOf(Node.scalarText(c.get(flag))))) {
                    off.add(flag);
                }
            }
        }
        if (!off.isEmpty()) {
            report(Severity.HIGH, config.at(), "the public access block of bucket `" + bucket + "` turns off "
                    + String.join(", ", off) + ": a public bucket policy or ACL can take effect");
        }
    }

    /** A KMS grant is a resource-policy statement of its own: the grantee may use the key for the operations. */
    private void grant() {
        String key = e.request("keyId").orElse("?");
        Map<String, Node> statement = new LinkedHashMap<>();
        SourceLocation at = e.requestParameters().at();
        statement.put("Effect", new Node.Str("Allow", at));
        Node grantee = e.requestParameters().get("granteePrincipal");
        Node principal = grantee instanceof Node.Str g && g.value().endsWith(".amazonaws.com")
                ? new Node.Obj(Map.of("Service", g), g.at())
                : new Node.Obj(Map.of("AWS", grantee == null ? new Node.Str("*", at) : grantee), at);
        statement.put("Principal", principal);
        List<Node> actions = new ArrayList<>();
        for (String op : texts(e.requestParameters().get("operations"))) {
            actions.add(new Node.Str("kms:" + op, at));
        }
        statement.put("Action", actions.isEmpty() ? new Node.Str("kms:*", at) : new Node.Arr(actions, at));
        statement.put("Resource", new Node.Str(key.startsWith("arn:") ? key : "*", at));
        policy("grant on key " + key, new Node.Obj(Map.of("Statement", new Node.Arr(List.of(new Node.Obj(statement, at)), at)), at));
    }

    private void report(Severity severity, SourceLocation at, String message) {
        Finding f = new Finding(PUBLIC.id(), PUBLIC.id() + "|" + e.eventId() + "|" + message, severity, PUBLIC.title(),
                message, PUBLIC.remediation(), target.orElse(e.eventName()), target, at, Optional.empty(), List.of());
        findings.addAll(engine.configure(List.of(f), target.map(List::of).orElse(List.of()), new ArrayList<>()));
    }

    /** Lambda's request keys ({@code principal}, {@code sourceArn}) as CloudFormation names them ({@code Principal}). */
    private Node.Obj capitalised() {
        Map<String, Node> out = new LinkedHashMap<>();
        e.requestParameters().fields().forEach((k, v) -> out.put(k.isEmpty() ? k
                : k.substring(0, 1).toUpperCase(Locale.ROOT) + k.substring(1), v));
        // CloudTrail spells it principalOrgID; CloudFormation PrincipalOrgID: the same after capitalising.
        return new Node.Obj(out, e.requestParameters().at());
    }

    private static List<String> texts(Node n) {
        List<String> out = new ArrayList<>();
        if (n instanceof Node.Arr a) {
            a.items().forEach(i -> Optional.ofNullable(Node.scalarText(i)).ifPresent(out::add));
        } else if (n != null && Node.scalarText(n) != null) {
            out.add(Node.scalarText(n));
        }
        return out;
    }
}
