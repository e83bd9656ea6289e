package io.iamguardrail.aws;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loopback stand-in priming rehearses against: it must speak enough HTTP for the SDK, and leave nothing open. */
class BundledResponsesTest {

    private static final String SIGNED = "Authorization: AWS4-HMAC-SHA256 Credential=ASIAPRIMINGONLY/20261129/"
            + "us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00\r\n";

    @Test
    void aQueryRequestGetsTheBundledAnswerAndItsConnectionIsClosed() throws IOException {
        try (BundledResponses aws = BundledResponses.start()) {
            String body = "Action=GetRole&Version=2010-05-08&RoleName=build-runner";

            String answer = exchange(aws.endpoint(), "POST / HTTP/1.1\r\nHost: iam\r\n" + SIGNED
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n"
                    + body);

            assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("Connection: close").contains("<GetRoleResponse")
                    .contains("build-runner");
            assertThat(aws.answered()).containsExactly("iam:GetRole");
        }
    }

    @Test
    void aChunkedBodyAfterExpectContinueIsReadWhole() throws IOException {
        try (BundledResponses aws = BundledResponses.start()) {
            String answer = exchange(aws.endpoint(), "POST / HTTP/1.1\r\nHost: iam\r\n" + SIGNED
                    + "Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "7\r\nAction=\r\n7\r\nGetRole\r\n0\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 100 Continue").contains("HTTP/1.1 200 OK");
            assertThat(aws.answered()).containsExactly("iam:GetRole");
        }
    }

    @Test
    void aReadOfAnS3ObjectFindsNothingSoABackupIsNeverTakenAsPresent() throws IOException {
        try (BundledResponses aws = BundledResponses.start()) {
            String answer = exchange(aws.endpoint(), "GET /guardrail-backups/role/x.json HTTP/1.1\r\nHost: s3\r\n"
                    + SIGNED.replace("/iam/", "/s3/") + "\r\n");

            assertThat(answer).startsWith("HTTP/1.1 404").contains("NoSuchKey");
            assertThat(aws.answered()).containsExactly("s3:GET /guardrail-backups/role/x.json");
        }
    }

    @Test
    void afterCloseNothingListens() {
        BundledResponses aws = BundledResponses.start();
        URI endpoint = aws.endpoint();
        aws.close();

        assertThatThrownBy(() -> new Socket(endpoint.getHost(), endpoint.getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    private static String exchange(URI endpoint, String request) throws IOException {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            // The stand-in closes every connection after its answer: reading to the end is reading the answer.
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
