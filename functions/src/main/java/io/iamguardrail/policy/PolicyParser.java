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
        private final Problems problems = new Problems();
        private final StatementReader reader;

        Reading(PolicyKind requested) {
            this.requested = requested;
            this.reader = new StatementReader(problems, requested);
        }

        ParseResult document(Node root) {
            String function = Intrinsics.functionOf(root);
            if (function != null) {
                return intrinsicDocument(root, function);
            }
            if (!(root instanceof Node.Obj obj)) {
                problems.add(root.at(), "expected a policy document (a JSON object) but found " + root.kind());
                return new ParseResult(Optional.empty(), requested == null ? PolicyKind.IDENTITY : requested,
                        problems.all());
            }
            problems.unknownKeys(obj, DOCUMENT_KEYS, "policy document");
            Optional<String> version = Optional.empty();
            Node v = obj.get("Version");
            if (v != null) {
                String text = v instanceof Node.Str s ? s.value() : null;
                if (text == null || !VERSIONS.contains(text)) {
                    problems.add(v.at(), "expected `Version` to be \"2012-10-17\" or \"2008-10-17\" but found "
                            + Problems.describe(v));
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
                    problems.add(idNode.at(), "expected `Id` to be a string but found " + idNode.kind());
                }
            }
            List<Statement> statements = new ArrayList<>();
            Node st = obj.get("Statement");
            if (st == null) {
                problems.add(obj.at(), "expected a `Statement` element but the document has none");
            } else if (st instanceof Node.Arr arr) {
                if (arr.items().isEmpty()) {
                    problems.add(arr.at(), "expected at least one statement but `Statement` is empty");
                }
                for (int i = 0; i < arr.items().size(); i++) {
                    for (Branches.Branch b : Branches.of(arr.items().get(i), "")) {
                        Node item = b.node();
                        if (item instanceof Node.Obj so && Intrinsics.functionOf(so) == null) {
                            reader.statement(so, i).map(x -> x.inBranch(b.label())).ifPresent(statements::add);
                        } else if (Intrinsics.functionOf(item) == null) {
                            problems.add(item.at(), "statement " + (i + 1) + ": expected an object but found "
                                    + item.kind());
                        }
                    }
                }
            } else {
                for (Node item : Branches.alternatives(st)) {
                    if (item instanceof Node.Obj single && Intrinsics.functionOf(single) == null) {
                        reader.statement(single, 0).ifPresent(statements::add);
                    } else if (item instanceof Node.Arr arr) {
                        for (int i = 0; i < arr.items().size(); i++) {
                            if (arr.items().get(i) instanceof Node.Obj so && Intrinsics.functionOf(so) == null) {
                                reader.statement(so, i).ifPresent(statements::add);
                            }
                        }
                    } else if (Intrinsics.functionOf(item) == null) {
                        problems.add(st.at(), "expected `Statement` to be an object or an array but found " + st.kind());
                    }
                }
            }
            PolicyDocument doc = new PolicyDocument(version, id, statements, obj.at());
            PolicyKind kind = requested != null ? requested : PolicyKind.detect(doc);
            checkForKind(doc, obj, kind);
            return new ParseResult(Optional.of(doc), kind, problems.all());
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
                for (Node branch : Branches.alternatives(root)) {
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
            return new ParseResult(Optional.of(doc), kind != null ? kind : PolicyKind.detect(doc), problems.all());
        }

        /** Elements a policy of this kind must or must not have. */
        private void checkForKind(PolicyDocument doc, Node.Obj obj, PolicyKind kind) {
            for (Statement s : doc.statements()) {
                switch (kind) {
                    case IDENTITY -> {
                        if (s.principals().isPresent()) {
                            problems.add(s.principals().get().at(), s.label()
                                    + ": expected no `Principal` in an identity policy (it is the user, group or role"
                                    + " the policy is attached to) but found one");
                        }
                        if (s.resources() instanceof ResourceSpec.Implicit) {
                            problems.add(s.at(), s.label() + ": expected `Resource` or `NotResource` but found neither");
                        }
                    }
                    case TRUST -> {
                        if (s.principals().isEmpty()) {
                            problems.add(s.at(), s.label() + ": expected `Principal` or `NotPrincipal` in a trust policy"
                                    + " but found neither");
                        }
                    }
                    case RESOURCE -> {
                        if (s.principals().isEmpty()) {
                            problems.add(s.at(), s.label() + ": expected `Principal` or `NotPrincipal` in a"
                                    + " resource-based policy but found neither");
                        }
                    }
                }
            }
        }
    }
}
