package io.iamguardrail.aws;

import software.amazon.awssdk.core.sync.RequestBody;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A text as an S3 request body, encoded to UTF-8 a few kilobytes at a time as it is sent: the report of an account of
 * thousands of roles is tens of megabytes of text, and its bytes held beside it (or copied once more, as
 * {@code RequestBody.fromString} does) outgrew the heap of a 1,024 MB function (bench/audit-heap.sh).
 */
final class Utf8Body {

    private static final int CHUNK = 8192;

    private Utf8Body() {
    }

    static RequestBody of(String text, String type) {
        return RequestBody.fromContentProvider(() -> new Encoding(text), length(text), type);
    }

    /** The UTF-8 length of {@code text}, counted without encoding it. */
    static long length(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Reads the text's UTF-8 bytes chunk by chunk; a chunk never ends between the two halves of a surrogate pair. */
    private static final class Encoding extends InputStream {
        private final String text;
        private int next;
        private byte[] chunk = new byte[0];
        private int at;

        Encoding(String text) {
            this.text = text;
        }

        private boolean fill() {
            if (at < chunk.length) {
                return true;
            }
            if (next >= text.length()) {
                return false;
            }
            int end = Math.min(text.length(), next + CHUNK);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            chunk = text.substring(next, end).getBytes(StandardCharsets.UTF_8);
            next = end;
            at = 0;
            return true;
        }

        @Override
        public int read() {
            return fill() ? chunk[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - at);
            System.arraycopy(chunk, at, b, off, n);
            at += n;
            return n;
        }
    }
}
