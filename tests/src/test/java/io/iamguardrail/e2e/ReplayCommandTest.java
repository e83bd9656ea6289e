package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static io.iamguardrail.e2e.Fixtures.assertNoStackTrace;
import static io.iamguardrail.e2e.Fixtures.assertUsageError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** `replay` end to end: the Lambda's pipeline on event files, offline, as a user runs it. */
class ReplayCommandTest {

    @TempDir
    Path dir;

    static final String ATTACH_ADMIN = """
            {"version":"0","id":"0d7b6f52-3f1e-4b4e-9d0e-4f2f4c1a9e11","detail-type":"AWS API Call via CloudTrail",
             "source":"aws.iam","account":"123456789012","time":"2026-11-28T15:00:00Z","region":"us-east-1","resources":[],
             "detail":{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE",
               "arn":"arn:aws:iam::123456789012:user/alice","accountId":"123456789012","userName":"alice"},
               "eventTime":"2026-11-28T15:00:00Z","eventSource":"iam.amazonaws.com","eventName":"AttachRolePolicy",
               "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0",
               "requestParameters":{"roleName":"deploy","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"},
               "responseElements":null,"requestID":"r1","eventID":"e1a1b2c3-0000-4000-8000-000000000001",
               "readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123456789012"}}
            """;

    private Path corpus() {
        String env = System.getenv("IAM_GUARDRAIL_CORPUS");
        Path p = Path.of(env != null && !env.isBlank() ? env : System.getProperty("corpus.dir", "../../shared/corpus"),
                "cloudtrail-iam-events").toAbsolutePath();
        assumeTrue(Files.isDirectory(p), "the CloudTrail event corpus is absent (expected at " + p + ")");
        return p;
    }

    @Test
    void anAdminAttachmentIsAnAlertWithTheMessageThatWouldBePublished() throws Exception {
        Fixtures.write(dir, "attach-admin.json", ATTACH_ADMIN);
        Cli.Result r = Cli.run(dir, "replay", "--format", "json", "attach-admin.json");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        JsonNode e = r.json().get("events").get(0);
        assertThat(e.get("source").asText()).isEqualTo("attach-admin.json");
        assertThat(e.get("eventName").asText()).isEqualTo("AttachRolePolicy");
        assertThat(e.get("eventId").asText()).isEqualTo("e1a1b2c3-0000-4000-8000-000000000001");
        assertThat(e.get("verdict").asText()).isEqualTo("ALERT");
        assertThat(e.get("reason").asText()).isNotBlank();
        JsonNode admin = e.get("findings").get(0);
        for (String field : List.of("ruleId", "severity", "title", "message", "source", "location", "remediation")) {
            assertThat(admin.has(field)).as("finding field %s", field).isTrue();
        }
        assertThat(admin.get("ruleId").asText()).isEqualTo("ADMIN_ACCESS");
        JsonNode alert = e.get("alert");
        assertThat(alert.get("subject").asText()).startsWith("[CRITICAL] alice AttachRolePolicy on role deploy");
        assertThat(alert.get("message").get("schema").asText()).isEqualTo("iam-guardrail/alert/1");
        assertThat(alert.get("attributes").get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(alert.get("email").asText()).contains("Who:", "Findings:");
        JsonNode remediation = e.get("remediation");
        assertThat(remediation.get("status").asText()).isEqualTo("PLANNED");
        assertThat(remediation.get("actions").get(0).get("action").asText()).isEqualTo("DETACH_POLICY");
        assertThat(alert.get("message").get("remediation")).isEqualTo(remediation);
        assertThat(e.get("notes").toString()).contains("could not be read");
    }

    @Test
    void aMalformedEventIsAnErrorVerdictAndTheOthersStillRun() throws Exception {
        Fixtures.write(dir, "events/attach-admin.json", ATTACH_ADMIN);
        Fixtures.write(dir, "events/broken.json", "{\"detail\": {\"eventName\": \"PutRolePolicy\", ");
        Cli.Result r = Cli.run(dir, "replay", "--format", "json", "events/broken.json", "events/attach-admin.json");
        assertNoStackTrace(r);
        List<String> verdicts = new ArrayList<>();
        r.json().get("events").forEach(e -> verdicts.add(e.get("source").asText() + " " + e.get("verdict").asText()));
        assertThat(verdicts).containsExactly("events/broken.json ERROR", "events/attach-admin.json ALERT");
        assertThat(r.json().get("events").get(0).get("reason").asText()).startsWith("malformed event: ");
        assertThat(r.exit()).as("an event that could not be processed is not a clean run").isEqualTo(2);
    }

    @Test
    void aFolderWithoutEventsIsBadUsage() throws Exception {
        Fixtures.write(dir, "notes/readme.json", "{\"hello\": \"world\"}");
        Cli.Result r = Cli.run(dir, "replay", "notes");
        assertUsageError(r);
        assertThat(r.err()).contains("no events found");
    }

    @Test
    void exitCodesAndUsage() throws Exception {
        Fixtures.write(dir, "attach-admin.json", ATTACH_ADMIN);
        assertThat(Cli.run(dir, "replay", "--fail-on", "CRITICAL", "attach-admin.json").exit()).isEqualTo(1);
        assertUsageError(Cli.run(dir, "replay", "missing.json"));
        assertUsageError(Cli.run(dir, "replay", "--mode", "sometimes", "attach-admin.json"));
        assertUsageError(Cli.run(dir, "replay", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:t", "attach-admin.json"));
        Cli.Result text = Cli.run(dir, "replay", "attach-admin.json");
        assertThat(text.out()).contains("-> ALERT", "CRITICAL ADMIN_ACCESS", "alert: [CRITICAL]", "1 event: 1 ALERT");
    }

    @Test
    void theRealEventCorpusReplaysWithoutErrors() throws Exception {
        Path corpus = corpus();
        Cli.Result r = Cli.run(dir, "replay", "--format", "json", corpus.toString());
        assertNoStackTrace(r);
        assertThat(r.exit()).isIn(0, 1);
        List<String> errors = new ArrayList<>();
        r.json().get("events").forEach(e -> {
            if (e.get("verdict").asText().equals("ERROR")) {
                errors.add(e.get("source").asText() + ": " + e.get("reason").asText());
            }
        });
        assertThat(errors).isEmpty();
        assertThat(r.json().get("events").size()).isGreaterThanOrEqualTo(35);
    }

    /** A CloudTrail log file as a trail delivers it to S3: the records of many calls, gzip-compressed. */
    private static void writeLogFile(Path file, String... records) throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(("{\"Records\":[" + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String detailOf(String envelope) throws Exception {
        return new ObjectMapper().readTree(envelope).get("detail").toString();
    }

    @Test
    void aCloudTrailLogFileFromS3IsReplayedRecordByRecord() throws Exception {
        Path corpus = corpus();
        String readOnly = detailOf(Files.readString(corpus.resolve("elastic-attach-group-policy-readonly.json")));
        String getRole = detailOf(ATTACH_ADMIN).replace("\"AttachRolePolicy\"", "\"GetRole\"")
                .replace("\"readOnly\":false", "\"readOnly\":true").replace("e1a1b2c3-0000-4000-8000-000000000001",
                        "e1a1b2c3-0000-4000-8000-000000000002");
        Files.createDirectories(dir.resolve("AWSLogs"));
        writeLogFile(dir.resolve("AWSLogs/123456789012_CloudTrail_us-east-1_20261128T1500Z_abc.json.gz"),
                detailOf(ATTACH_ADMIN), getRole, readOnly);
        Cli.Result r = Cli.run(dir, "replay", "--format", "json", "AWSLogs");
        assertNoStackTrace(r);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        List<String> sources = new ArrayList<>();
        r.json().get("events").forEach(e -> sources.add(e.get("source").asText() + " " + e.get("eventName").asText()
                + " " + e.get("verdict").asText()));
        String file = "AWSLogs/123456789012_CloudTrail_us-east-1_20261128T1500Z_abc.json.gz";
        assertThat(sources).as("%s", r).hasSize(3);
        assertThat(sources.get(0)).isEqualTo(file + "#Records/0 AttachRolePolicy ALERT");
        assertThat(sources.get(1)).startsWith(file + "#Records/1 GetRole ").doesNotEndWith("ALERT");
        assertThat(sources.get(2)).startsWith(file + "#Records/2 AttachGroupPolicy ");
        // The same records as a plain log file, named on the command line.
        Files.writeString(dir.resolve("log.json"), "{\"Records\":[" + detailOf(ATTACH_ADMIN) + "]}");
        Cli.Result plain = Cli.run(dir, "replay", "log.json");
        assertThat(plain.exit()).as("%s", plain).isEqualTo(1);
        assertThat(plain.out()).contains("log.json#Records/0: AttachRolePolicy");
    }

    @Test
    void aCompressedFileThatInflatesBeyondTheBoundIsBadUsageNotAnOutOfMemory() throws Exception {
        Path bomb = dir.resolve("bomb.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb))) {
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 65; i++) {
                out.write(spaces);
            }
        }
        assertThat(Files.size(bomb)).isLessThan(1 << 20);
        Cli.Result r = Cli.run(dir, "replay", "bomb.json.gz");
        assertUsageError(r);
        assertThat(r.err()).contains("bomb.json.gz", "expected at most 64 MiB of JSON once decompressed");
    }
}
