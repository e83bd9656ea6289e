package io.iamguardrail.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON or YAML into a located {@link Node} tree, with bounds on size, nesting and string length so that
 * hostile input costs bounded time and memory. Duplicate keys are an error: two parsers that keep different
 * copies of a duplicated {@code Statement} would see different policies.
 *
 * <p>CloudFormation short-form tags ({@code !Sub}, {@code !Ref}, {@code !GetAtt}, ...) are turned into their
 * long form ({@code {"Fn::Sub": ...}}), so templates read the same in YAML and JSON. YAML anchors and aliases
 * are expanded as CloudFormation expands them; an alias counts as every value it stands for against
 * {@link #MAX_NODES}, so a "billion laughs" file is an error after a bounded amount of work, not a hang.
 */
public final class NodeReader {

    public static final int MAX_DEPTH = 128;
    public static final int MAX_STRING_LENGTH = 4 * 1024 * 1024;
    public static final long MAX_NODES = 2_000_000;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNumberLength(1000)
            .maxNameLength(64 * 1024)
            .build();

    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(LIMITS).build();
    private static volatile JsonFactory yaml;

    private NodeReader() {
    }

    public static Node readJson(String text) throws NodeReadException {
        try (JsonParser parser = JSON.createParser(text)) {
            return readLocated(parser);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Reads UTF-8 bytes strictly: invalid UTF-8 is an error, not a replacement character. */
    public static Node readJson(byte[] utf8) throws NodeReadException {
        try (JsonParser parser = JSON.createParser(utf8)) {
            return readLocated(parser);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    public static Node readYaml(String text) throws NodeReadException {
        try (JsonParser parser = yamlFactory().createParser(text)) {
            return readLocated(parser);
        } catch (IOException | RuntimeException e) {
            // SnakeYAML reports some malformed input (bad indentation, unknown escapes) as runtime exceptions.
            throw failure(e);
        }
    }

    /**
     * Whether two JSON texts hold the same value ({@link Node#sameValue}), whatever their formatting and member
     * order: IAM reformats the documents it stores. Text that does not read as JSON is the same only as the very
     * same text.
     */
    public static boolean sameDocument(String a, String b) {
        try {
            return Node.sameValue(readJson(a), readJson(b));
        } catch (NodeReadException | RuntimeException unreadable) {
            return a.equals(b);
        }
    }

    private static JsonFactory yamlFactory() {
        JsonFactory f = yaml;
        if (f == null) {
            // Built on first use: the Lambda reads only JSON and should not pay for the YAML classes.
            f = YAMLFactory.builder().streamReadConstraints(LIMITS).build();
            yaml = f;
        }
        return f;
    }

    /** Reads a document; a failure without a location of its own gets the parser's current one. */
    private static Node readLocated(JsonParser parser) throws IOException, NodeReadException {
        try {
            return readDocument(parser);
        } catch (IOException | RuntimeException e) {
            NodeReadException failure = failure(e);
            if (failure.at().line() > 0) {
                throw failure;
            }
            throw new NodeReadException(failure.getMessage(), at(parser.currentLocation(), ""));
        }
    }

    private static Node readDocument(JsonParser parser) throws IOException, NodeReadException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw new NodeReadException("expected a document but the input is empty", new SourceLocation("", 1, 1));
        }
        Node root = readTree(parser);
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw new NodeReadException("expected the end of the document but found more content",
                    at(parser.currentTokenLocation(), ""));
        }
        return root;
    }

    /**
     * Reads the value at the current token with an explicit stack of open containers rather than by recursion:
     * one small loop, which the JIT compiles far more cheaply than a recursive reader inlined into itself (for a
     * corpus of policies that compilation cost more CPU than the parsing it sped up), and nesting costs no stack.
     */
    private static Node readTree(JsonParser parser) throws IOException, NodeReadException {
        ArrayDeque<Open> open = new ArrayDeque<>();
        Map<String, Anchored> anchors = new HashMap<>();
        long budget = MAX_NODES;
        String pointer = "";
        JsonToken token = parser.currentToken();
        while (true) {
            SourceLocation at = at(parser.currentTokenLocation(), pointer);
            String tag = tagOf(parser);
            String anchor = anchorOf(parser);
            Node done = null;
            long size = 1;
            if (parser instanceof YAMLParser yp && yp.isCurrentAlias()) {
                Anchored target = anchors.get(parser.getText());
                if (target == null) {
                    // The YAML reader reports anchors of mappings and lists only: an anchored single value is unseen.
                    throw new NodeReadException("expected the anchor `&" + parser.getText() + "` of a mapping or list"
                            + " before the alias `*" + parser.getText() + "` but found none (anchors on single values"
                            + " are not read: repeat the value instead)", at);
                }
                done = target.node();
                size = target.size();
            } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                open.push(new Open(at, tag, anchor, token == JsonToken.START_OBJECT));
            } else {
                done = tagged(scalar(parser, token, at), tag);
                if (anchor != null) {
                    anchors.put(anchor, new Anchored(done, 1));
                }
            }
            budget -= size;
            if (budget < 0) {
                throw new NodeReadException("expected at most " + MAX_NODES + " values but the document has more"
                        + (size > 1 ? " once its YAML aliases are expanded" : ""), at);
            }
            // Attach what was completed, close containers that end, and stop at the next value to read.
            while (true) {
                Open top = open.peek();
                if (done != null) {
                    if (top == null) {
                        return done;
                    }
                    top.add(done, size);
                }
                token = parser.nextToken();
                if (top.fields != null && token == JsonToken.FIELD_NAME) {
                    pointer = top.name(parser);
                    token = parser.nextToken();
                    break;
                }
                if (top.items != null && token != JsonToken.END_ARRAY) {
                    pointer = top.at.child(top.items.size());
                    break;
                }
                open.pop();
                done = tagged(top.node(), top.tag);
                size = top.size;
                if (top.anchor != null) {
                    anchors.put(top.anchor, new Anchored(done, size));
                }
            }
        }
    }

    /** A value under a YAML anchor, and how many values it stands for once its own aliases are expanded. */
    private record Anchored(Node node, long size) {
    }

    private static String anchorOf(JsonParser parser) throws IOException {
        Object id = parser.canReadObjectId() ? parser.getObjectId() : null;
        return id == null ? null : id.toString();
    }

    /** An object or array being read: its members so far and, in an object, the name of the member being read. */
    private static final class Open {
        final SourceLocation at;
        final String tag;
        final String anchor;
        final Map<String, Node> fields;
        final List<Node> items;
        /** Values in this container, aliases expanded, itself included. */
        long size = 1;
        private String name;

        Open(SourceLocation at, String tag, String anchor, boolean object) {
            this.at = at;
            this.tag = tag;
            this.anchor = anchor;
            this.fields = object ? new LinkedHashMap<>() : null;
            this.items = object ? null : new ArrayList<>();
        }

        /** Takes the current field name and returns the member's pointer; a repeated name is an error. */
        String name(JsonParser parser) throws IOException, NodeReadException {
            name = parser.currentName();
            String childPointer = at.child(name);
            if (fields.containsKey(name)) {
                throw new NodeReadException("expected unique keys but `" + name + "` appears twice",
                        NodeReader.at(parser.currentTokenLocation(), childPointer));
            }
            return childPointer;
        }

        void add(Node value, long valueSize) {
            size += valueSize;
            if (fields != null) {
                fields.put(name, value);
            } else {
                items.add(value);
            }
        }

        Node node() {
            return fields != null ? new Node.Obj(fields, at) : new Node.Arr(items, at);
        }
    }

    private static String tagOf(JsonParser parser) throws IOException {
        Object typeId = parser.canReadTypeId() ? parser.getTypeId() : null;
        return typeId == null ? null : typeId.toString();
    }

    private static Node tagged(Node value, String tag) {
        return tag == null ? value : Intrinsics.fromShortForm(tag, value, value.at());
    }

    private static Node scalar(JsonParser parser, JsonToken token, SourceLocation at)
            throws IOException, NodeReadException {
        if (token == null) {
            throw new NodeReadException("expected a complete JSON or YAML document but the input ends early", at);
        }
        switch (token) {
            case VALUE_STRING:
                return new Node.Str(parser.getText(), at);
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new Node.Num(parser.getText(), at);
            case VALUE_TRUE:
                return new Node.Bool(true, at);
            case VALUE_FALSE:
                return new Node.Bool(false, at);
            case VALUE_NULL:
                return new Node.Null(at);
            default:
                throw new NodeReadException("expected a value but found " + token, at);
        }
    }

    private static SourceLocation at(JsonLocation location, String pointer) {
        if (location == null) {
            return new SourceLocation(pointer, 0, 0);
        }
        return new SourceLocation(pointer, Math.max(location.getLineNr(), 0), Math.max(location.getColumnNr(), 0));
    }

    private static NodeReadException failure(Exception e) {
        if (e instanceof NodeReadException n) {
            return n;
        }
        SourceLocation at = SourceLocation.UNKNOWN;
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof JsonProcessingException p) {
            at = at(p.getLocation(), "");
            detail = p.getOriginalMessage();
        }
        if (e instanceof StreamConstraintsException) {
            return new NodeReadException("expected a document within the size limits but " + firstLine(detail), at);
        }
        if (e instanceof CharConversionException || e instanceof CharacterCodingException
                || detail.contains("Invalid UTF-8")) {
            return new NodeReadException("expected UTF-8 text but found an invalid byte sequence: " + firstLine(detail), at);
        }
        if (detail.startsWith("Unexpected end-of-input")) {
            return new NodeReadException("expected a complete JSON or YAML document but the input ends early ("
                    + firstLine(detail) + ")", at);
        }
        return new NodeReadException("expected valid JSON or YAML: " + firstLine(detail), at);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
