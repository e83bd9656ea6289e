package io.iamguardrail.json;

/**
 * Where an element sits in its source: a JSON Pointer (RFC 6901) such as {@code /Statement/1/Action/0},
 * plus the 1-based line and column of its first character (0 when unknown).
 */
public record SourceLocation(String pointer, int line, int column) {

    public static final SourceLocation UNKNOWN = new SourceLocation("", 0, 0);

    public SourceLocation {
        pointer = pointer == null ? "" : pointer;
    }

    /** The pointer of a member of this element; escapes {@code ~} and {@code /} as RFC 6901 requires. */
    public String child(String key) {
        if (key.indexOf('~') < 0 && key.indexOf('/') < 0) {
            return pointer.concat("/").concat(key);
        }
        return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    public String child(int index) {
        return pointer + "/" + index;
    }

    /** {@code /Statement/1/Action (line 7, column 17)}; the pointer of the root is shown as {@code /}. */
    @Override
    public String toString() {
        String where = pointer.isEmpty() ? "/" : pointer;
        return line > 0 ? where + " (line " + line + ", column " + column + ")" : where;
    }
}
