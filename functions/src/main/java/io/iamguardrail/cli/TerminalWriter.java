package io.iamguardrail.cli;

import io.iamguardrail.text.VisibleText;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * What the command line prints, with nothing a terminal would act on: control characters other than the line breaks
 * and tabs of the layout, and Unicode format characters (bidi overrides, zero-width characters), are written as
 * their visible escapes ({@link VisibleText}). The text outputs already escape each value; this is the guarantee for
 * everything else (error messages quoting a file, option values, help).
 *
 * <p>The escapes are those of JSON strings, and such characters appear in JSON output only inside strings (Jackson
 * escapes the controls itself), so JSON and SARIF output parse to the same values.
 */
final class TerminalWriter extends FilterWriter {

    /** A high surrogate waiting for its pair, or a carriage return waiting to see whether a newline follows. */
    private int pending = -1;

    TerminalWriter(Writer out) {
        super(out);
    }

    @Override
    public void write(int c) throws IOException {
        StringBuilder sb = new StringBuilder(2);
        append(sb, (char) c);
        out.write(sb.toString());
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        StringBuilder sb = new StringBuilder(len + 8);
        for (int i = off; i < off + len; i++) {
            append(sb, buf[i]);
        }
        out.write(sb.toString());
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        StringBuilder sb = new StringBuilder(len + 8);
        for (int i = off; i < off + len; i++) {
            append(sb, s.charAt(i));
        }
        out.write(sb.toString());
    }

    @Override
    public void flush() throws IOException {
        if (pending >= 0) {
            StringBuilder sb = new StringBuilder(6);
            VisibleText.appendEscape(sb, (char) pending);
            pending = -1;
            out.write(sb.toString());
        }
        super.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
        super.close();
    }

    private void append(StringBuilder sb, char ch) {
        if (pending >= 0) {
            char before = (char) pending;
            pending = -1;
            if (Character.isHighSurrogate(before) && Character.isLowSurrogate(ch)) {
                if (VisibleText.isHidden(Character.toCodePoint(before, ch))) {
                    VisibleText.appendEscape(sb, before);
                    VisibleText.appendEscape(sb, ch);
                } else {
                    sb.append(before).append(ch);
                }
                return;
            }
            if (before == '\r' && ch == '\n') {
                sb.append("\r\n");
                return;
            }
            VisibleText.appendEscape(sb, before);
        }
        if (Character.isHighSurrogate(ch) || ch == '\r') {
            pending = ch;
        } else if (ch == '\n' || ch == '\t' || !VisibleText.isHidden(ch)) {
            sb.append(ch);
        } else {
            VisibleText.appendEscape(sb, ch);
        }
    }
}
