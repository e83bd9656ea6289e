package io.iamguardrail.aws;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A report uploaded chunk by chunk is byte for byte its UTF-8 encoding, with the length S3 is told. */
class Utf8BodyTest {

    @Test
    void theStreamedBytesAndTheirLengthAreTheTextsUtf8() throws Exception {
        // Names as IAM allows them, a principal's tag in Japanese and an emoji straddling the 8,192-character chunks.
        StringBuilder text = new StringBuilder();
        while (text.length() < 8191) {
            text.append("role/vendor-admin é ");
        }
        text.setLength(8191);
        text.append("\uD83D\uDE00 チーム ").append("{\"principal\":\"arn:aws:iam::111122223333:role/x\"}".repeat(500));
        byte[] expected = text.toString().getBytes(StandardCharsets.UTF_8);

        assertThat(Utf8Body.length(text.toString())).isEqualTo(expected.length);
        var body = Utf8Body.of(text.toString(), "application/json");
        assertThat(body.optionalContentLength()).contains((long) expected.length);
        try (InputStream in = body.contentStreamProvider().newStream()) {
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
    }
}
