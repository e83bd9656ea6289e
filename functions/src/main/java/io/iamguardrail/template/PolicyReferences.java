package io.iamguardrail.template;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.json.Intrinsics;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.policy.Branches;
import io.iamguardrail.policy.Diagnostic;
import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Policy ARNs and names in a template ({@code ManagedPolicyArns}, {@code PermissionsBoundary}, SAM {@code Policies})
 * resolved to what they attach: an AWS managed policy from the bundled snapshot, placed at the entry that names
 * it; a managed policy of the template (by logical id); or, when it cannot be known before deployment, an
 * {@link SourcedPolicy.Origin#UNRESOLVED} entry that the UNVERIFIED_REFERENCE rule reports.
 */
final class PolicyReferences {

    /** One value an entry may take: both branches of an {@code Fn::If}, labelled with their condition. */
    record Branch(Node value, String label) {
    }

    /** What an entry attaches: a policy (read or unresolved), or a managed policy of the template. */
    sealed interface Attached permits Policy, TemplatePolicy {
    }

    record Policy(SourcedPolicy policy) implements Attached {
    }

    record TemplatePolicy(String logicalId, String label) implements Attached {
    }

    private final String source;
    private final TemplateValues values;
    private final ManagedPolicySnapshot snapshot;

    PolicyReferences(String source, TemplateValues values, ManagedPolicySnapshot snapshot) {
        this.source = source;
        this.values = values;
        this.snapshot = snapshot;
    }

    /** The values of a (resolved) entry: both branches of each {@code Fn::If}, without {@code AWS::NoValue}. */
    static List<Branch> branches(Node node) {
        List<Branch> out = new ArrayList<>();
        branches(node, "", out);
        return out;
    }

    private static void branches(Node node, String label, List<Branch> out) {
        if (Branches.isNoValue(node)) {
            return;
        }
        if ("Fn::If".equals(Intrinsics.functionOf(node)) && ((Node.Obj) node).get("Fn::If") instanceof Node.Arr a
                && a.items().size() == 3) {
            String condition = String.valueOf(Node.scalarText(a.items().get(0)));
            branches(a.items().get(1), join(label, "when `" + condition + "` is true"), out);
            branches(a.items().get(2), join(label, "when `" + condition + "` is false"), out);
            return;
        }
        out.add(new Branch(node, label));
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + " and " + b;
    }

    /** A policy ARN as written in {@code ManagedPolicyArns} or {@code PermissionsBoundary}. */
    Attached arn(Branch b, String property, SourcedPolicy.Origin origin) {
        Node value = b.value();
        if (value instanceof Node.Str s) {
            if (ManagedPolicySnapshot.isAwsManaged(s.value())) {
                Optional<ManagedPolicySnapshot.Entry> entry = snapshot.find(s.value());
                return entry.<Attached>map(e -> new Policy(managed(e, value.at(), origin, b.label())))
                        .orElseGet(() -> unresolved(value.at(), "`" + s.value() + "` in " + property + " is not an AWS"
                                + " managed policy of the bundled snapshot (" + snapshot.provenance().getOrDefault("sourceVersion", "?")
                                + "), so what it grants is unknown", s.value()));
            }
            return unresolved(value.at(), "`" + s.value() + "` in " + property + " is a policy defined outside this"
                    + " template, so what it grants is unknown", s.value());
        }
        String function = Intrinsics.functionOf(value);
        Node.Obj call = function == null ? null : (Node.Obj) value;
        if ("Ref".equals(function) && call.get("Ref") instanceof Node.Str r && values.isResource(r.value())) {
            return new TemplatePolicy(r.value(), b.label());
        }
        String shown = Intrinsics.opaqueText(value);
        String why = function == null ? "expected a policy ARN but found " + value.kind()
                : "Ref".equals(function) && call.get("Ref") instanceof Node.Str r && values.isParameter(r.value())
                ? "it is the template parameter `" + r.value() + "`, chosen when the stack is deployed"
                : "Fn::ImportValue".equals(function) ? "it is imported from another stack"
                : "it is computed when the stack is deployed";
        return unresolved(value.at(), "the policy `" + shown + "` in " + property + " cannot be resolved before"
                + " deployment (" + why + "), so what it grants is unknown", shown == null ? property : shown);
    }

    /** A SAM {@code Policies} entry that is a name: an AWS managed policy name, else an ARN or a reference. */
    Attached samName(Branch b, String property) {
        if (b.value() instanceof Node.Str s && !s.value().startsWith("arn:")) {
            return snapshot.findByName(s.value())
                    .<Attached>map(e -> new Policy(managed(e, s.at(), SourcedPolicy.Origin.MANAGED, b.label())))
                    .orElseGet(() -> unresolved(s.at(), "`" + s.value() + "` in " + property + " is neither an AWS managed"
                            + " policy of the bundled snapshot nor a SAM policy template, so what it grants is unknown", s.value()));
        }
        return arn(b, property, SourcedPolicy.Origin.MANAGED);
    }

    private SourcedPolicy managed(ManagedPolicySnapshot.Entry e, SourceLocation at, SourcedPolicy.Origin origin,
                                  String label) {
        String name = "AWS managed policy " + e.arn().substring(e.arn().lastIndexOf('/') + 1)
                + (label.isEmpty() ? "" : " (" + label + ")");
        ParseResult parsed;
        try {
            parsed = PolicyParser.parse(Relocated.to(NodeReader.readJson(e.document()), at), PolicyKind.IDENTITY);
        } catch (NodeReadException unreadable) {
            parsed = new ParseResult(Optional.empty(), PolicyKind.IDENTITY, List.of(new Diagnostic(at,
                    "the bundled copy of " + e.arn() + " cannot be read: " + unreadable.getMessage())));
        }
        // Located in the template, so its source is the template's: say who wrote it.
        return new SourcedPolicy(source, name, origin, parsed, true);
    }

    SourcedPolicy unresolvedPolicy(SourceLocation at, String message, String name) {
        return new SourcedPolicy(source, name, SourcedPolicy.Origin.UNRESOLVED,
                new ParseResult(Optional.empty(), PolicyKind.IDENTITY, List.of(new Diagnostic(at, message))));
    }

    private Policy unresolved(SourceLocation at, String message, String name) {
        return new Policy(unresolvedPolicy(at, message, name));
    }
}
