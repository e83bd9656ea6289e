package io.iamguardrail.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code invoke}, as a user runs it from the project folder: the template's real handler on every events/ sample,
 * answering what events/manifest.json says the offline pipeline concludes, with the log the way SAM CLI prints it.
 */
class InvokeCommandTest {

    static final Path ROOT = Path.of("..");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {
        JsonNode response() throws IOException {
            return JSON.readTree(out);
        }

        /** The function's log lines that are JSON objects. */
        List<JsonNode> logLines() throws IOException {
            List<JsonNode> lines = new ArrayList<>();
            for (String l : err.lines().filter(l -> l.startsWith("{")).toList()) {
                lines.add(JSON.readTree(l));
            }
            return lines;
        }
    }

    static Run invoke(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "invoke";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--template";
        all[args.length + 2] = ROOT.resolve("template.yaml").toString();
        int exit = Main.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    static Stream<Arguments> samples() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode e : JSON.readTree(ROOT.resolve("events/manifest.json").toFile()).get("events")) {
            out.add(Arguments.of(e.get("file").asText(), e.get("offline").get("verdict").asText()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everySampleGetsTheManifestsVerdictFromTheEvaluatorHandler(String file, String verdict) throws IOException {
        Run r = invoke("EvaluatorFunction", "-e", ROOT.resolve("events").resolve(file).toString(),
                "--env-vars", ROOT.resolve("events/env.json").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.response().path("verdict").asText()).as(r.err()).isEqualTo(verdict);
        assertThat(r.err()).contains("Invoking io.iamguardrail.handlers.EvaluatorHandler::handleRequest (java21, 1024 MB,")
                .containsPattern("START RequestId: [0-9a-f-]{36} Version: \\$LATEST")
                .containsPattern("END RequestId: [0-9a-f-]{36}")
                .containsPattern("REPORT RequestId: [0-9a-f-]{36}\tInit Duration: [0-9.]+ ms\tDuration: [0-9.]+ ms");
        List<JsonNode> logs = r.logLines();
        assertThat(logs).as(r.err()).anyMatch(l -> l.path("message").asText().equals("decision")
                && l.path("verdict").asText().equals(verdict));
        List<JsonNode> published = logs.stream().filter(l -> l.has("publish")).toList();
        if (verdict.equals("ALERT")) {
            assertThat(published).as(r.err()).hasSize(1);
            JsonNode publish = published.get(0).path("publish");
            assertThat(publish.path("TopicArn").asText())
                    .isEqualTo("arn:aws:sns:us-east-1:123456789012:iam-guardrail-AlertTopic-EXAMPLE");
            assertThat(publish.path("Message").path("default").path("schema").asText()).isEqualTo("iam-guardrail/alert/1");
            assertThat(publish.path("MessageAttributes").path("severity").asText()).isNotBlank();
            assertThat(r.response().path("messageId").asText()).isEqualTo(published.get(0).path("messageId").asText());
        } else {
            assertThat(published).as(r.err()).isEmpty();
        }
    }

    @Test
    void withoutAnEnvVarsFileTheTopicIsTheLogicalIdAsSamCliResolvesARef() throws IOException {
        Run r = invoke("EvaluatorFunction", "-e", ROOT.resolve("events/attach-role-policy-admin.json").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode publish = r.logLines().stream().filter(l -> l.has("publish")).findFirst().orElseThrow().path("publish");
        assertThat(publish.path("TopicArn").asText()).isEqualTo("AlertTopic");
        assertThat(publish.path("Message").path("default").path("remediation").path("mode").asText()).isEqualTo("ALERT");
    }

    @Test
    void theEnvVarsFileOverridesDeclaredVariablesAndSaysWhichItIgnored(@TempDir Path dir) throws IOException {
        Path env = dir.resolve("env.json");
        Files.writeString(env, "{\"Parameters\": {\"ALERT_THRESHOLD\": \"CRITICAL\", \"NOT_DECLARED\": 1},"
                + " \"EvaluatorFunction\": {\"TOPIC_ARN\": \"arn:aws:sns:us-east-1:111122223333:mine\"}}");
        Path event = ROOT.resolve("events/create-access-key-for-other-user.json");

        Run high = invoke("EvaluatorFunction", "-e", event.toString());
        Run critical = invoke("EvaluatorFunction", "-e", event.toString(), "--env-vars", env.toString());

        assertThat(high.response().path("verdict").asText()).as(high.err()).isEqualTo("ALERT");
        assertThat(critical.response().path("verdict").asText()).as(critical.err()).isEqualTo("NO_ALERT");
        assertThat(critical.err()).contains("Not set: NOT_DECLARED (the template does not declare them for EvaluatorFunction");
    }

    @Test
    void aMalformedEventIsTheFunctionsErrorResponseWithoutAStackTrace(@TempDir Path dir) throws IOException {
        Path event = dir.resolve("truncated.json");
        Files.writeString(event, "{\"detail\": {\"eventName\": \"CreateRole\"");

        Run r = invoke("EvaluatorFunction", "-e", event.toString(), "--env-vars", ROOT.resolve("events/env.json").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.response().path("errorType").asText()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(r.response().path("errorMessage").asText()).startsWith("malformed event");
        assertThat(r.out() + r.err()).doesNotContain("\tat io.iamguardrail");
        assertThat(r.logLines()).anyMatch(l -> l.path("verdict").asText().equals("ERROR"));
    }

    @Test
    void anUnknownFunctionListsTheTemplatesFunctions() {
        Run r = invoke("Evaluator", "-e", ROOT.resolve("events/create-user.json").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("expected a function of", "but found `Evaluator`",
                "AuditFunction, EvaluatorFunction, NotifierFunction");
    }

    static Stream<Arguments> scheduledSamples() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode e : JSON.readTree(ROOT.resolve("events/manifest.json").toFile()).path("scheduled")) {
            out.add(Arguments.of(e.get("file").asText(), e.get("function").asText()));
        }
        return out.stream();
    }

    /** The findings of the report the offline audit would have written, by principal ARN. */
    private static List<String> rules(JsonNode report, String principal) {
        List<String> out = new ArrayList<>();
        report.path("findings").forEach(f -> {
            if (f.path("principal").asText().equals(principal)) {
                out.add(f.path("ruleId").asText());
            }
        });
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scheduledSamples")
    void theScheduledAuditSweepsTheExampleAccountOfflineAndStoresAndPublishesNothing(String file, String function)
            throws IOException {
        Run r = invoke(function, "-e", ROOT.resolve("events").resolve(file).toString(),
                "--env-vars", ROOT.resolve("events/env.json").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("Invoking io.iamguardrail.handlers.AuditHandler::handleRequest (java21,",
                        "offline: nothing is sent or changed", "offline: the account is the bundled example")
                .containsPattern("START RequestId: [0-9a-f-]{36} Version: \\$LATEST")
                .containsPattern("REPORT RequestId: [0-9a-f-]{36}\tInit Duration: [0-9.]+ ms\tDuration: [0-9.]+ ms");
        JsonNode response = r.response();
        assertThat(response.path("report").asText()).as(r.out())
                .matches("s3://iam-guardrail-backupbucket-example/audit/[0-9T:.Z-]+/");
        // The example account: roles, users, groups and customer-managed policies, fourteen with something to say.
        assertThat(response.path("principalsScanned").asInt()).isGreaterThanOrEqualTo(14);
        assertThat(response.path("findings").asInt()).isPositive();
        assertThat(response.path("new").asInt()).isEqualTo(response.path("findings").asInt());
        assertThat(response.path("messageId").asText()).startsWith("offline-");

        List<JsonNode> logs = r.logLines();
        List<JsonNode> written = logs.stream().filter(l -> l.has("putObject")).toList();
        assertThat(written).as(r.err()).hasSize(2).allMatch(l -> l.path("offline").asText().equals("not written"));
        assertThat(written).extracting(l -> l.path("putObject").path("Key").asText())
                .allMatch(k -> k.startsWith(response.path("report").asText().substring(
                        "s3://iam-guardrail-backupbucket-example/".length())))
                .anyMatch(k -> k.endsWith("/report.json")).anyMatch(k -> k.endsWith("/report.html"));
        JsonNode report = written.stream().filter(l -> l.path("putObject").path("Key").asText().endsWith(".json"))
                .findFirst().orElseThrow().path("putObject").path("Body");
        assertThat(report.path("account").asText()).isEqualTo("123456789012");
        assertThat(rules(report, "arn:aws:iam::123456789012:role/ops-automation")).contains("ADMIN_ACCESS",
                "TRUST_WITHOUT_MFA");
        assertThat(rules(report, "arn:aws:iam::123456789012:role/github-actions-deploy")).contains("PASSROLE_UNRESTRICTED");
        assertThat(rules(report, "arn:aws:iam::123456789012:user/lee.dev")).contains("PRIVILEGE_PATH",
                "PRIVILEGE_ESCALATION");

        List<JsonNode> published = logs.stream().filter(l -> l.has("publish")).toList();
        assertThat(published).as(r.err()).hasSize(1);
        assertThat(published.get(0).path("offline").asText()).isEqualTo("not published");
        JsonNode publish = published.get(0).path("publish");
        assertThat(publish.path("TopicArn").asText())
                .isEqualTo("arn:aws:sns:us-east-1:123456789012:iam-guardrail-AlertTopic-EXAMPLE");
        assertThat(publish.path("MessageAttributes").path("eventName").asText()).isEqualTo("ScheduledAudit");
        assertThat(publish.path("Subject").asText()).startsWith("IAM Guardrail audit of 123456789012");
        assertThat(response.path("messageId").asText()).isEqualTo(published.get(0).path("messageId").asText());
    }

    @Test
    void withoutAnEnvVarsFileTheAuditsBucketAndTopicAreTheLogicalIds() throws IOException {
        Run r = invoke("AuditFunction", "-e", ROOT.resolve("events/scheduled-audit.json").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.response().path("report").asText()).startsWith("s3://BackupBucket/audit/");
        assertThat(r.logLines()).filteredOn(l -> l.has("publish")).singleElement()
                .satisfies(l -> assertThat(l.path("publish").path("TopicArn").asText()).isEqualTo("AlertTopic"));
    }

    @Test
    void theNotifierRendersTheAlertForSlackAndPostsNothing(@TempDir Path dir) throws IOException {
        Run evaluated = invoke("EvaluatorFunction", "-e", ROOT.resolve("events/create-role-github-oidc-no-sub.json").toString(),
                "--env-vars", ROOT.resolve("events/env.json").toString());
        JsonNode publish = evaluated.logLines().stream().filter(l -> l.has("publish")).findFirst().orElseThrow()
                .path("publish");
        // What SNS delivers to the Slack queue: its notification envelope (from the alert topic) as the SQS body.
        String envelope = JSON.writeValueAsString(JSON.createObjectNode().put("Type", "Notification")
                .put("MessageId", "sns-1").put("TopicArn", "arn:aws:sns:us-east-1:123456789012:iam-guardrail-AlertTopic-EXAMPLE")
                .put("Message", JSON.writeValueAsString(publish.path("Message").path("default"))));
        String sqs = "{\"Records\":[{\"messageId\":\"m-1\",\"eventSource\":\"aws:sqs\",\"body\":"
                + JSON.writeValueAsString(envelope) + "}]}";
        Path event = dir.resolve("sqs.json");
        Files.writeString(event, sqs);

        Run r = invoke("NotifierFunction", "-e", event.toString(), "--env-vars", ROOT.resolve("events/env.json").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.response().path("batchItemFailures")).as(r.err()).isEmpty();
        JsonNode slack = r.logLines().stream().filter(l -> l.has("slack")).findFirst().orElseThrow().path("slack");
        assertThat(slack.toString()).contains("TRUST_OIDC_UNSCOPED");
    }
}
