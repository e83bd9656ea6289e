package io.iamguardrail.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/** Writes a {@link Node} back as compact JSON, members in the order they were read. */
public final class NodeWriter {

    private static final JsonFactory JSON = new JsonFactory();

    private NodeWriter() {
    }

    public static String toJson(Node node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(node, g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toString();
    }

    /**
     * A JSON string literal of {@code s}: quotes, backslashes and control characters escaped, everything else as it
     * is. For handlers that write a small answer or log line by hand.
     */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static void write(Node node, JsonGenerator g) throws IOException {
        if (node instanceof Node.Obj o) {
            g.writeStartObject();
            for (Map.Entry<String, Node> member : o.fields().entrySet()) {
                g.writeFieldName(member.getKey());
                write(member.getValue(), g);
            }
            g.writeEndObject();
        } else if (node instanceof Node.Arr a) {
            g.writeStartArray();
            for (Node item : a.items()) {
                write(item, g);
            }
            g.writeEndArray();
        } else if (node instanceof Node.Str s) {
            g.writeString(s.value());
        } else if (node instanceof Node.Num n) {
            g.writeNumber(n.text());
        } else if (node instanceof Node.Bool b) {
            g.writeBoolean(b.value());
        } else {
            g.writeNull();
        }
    }
}
