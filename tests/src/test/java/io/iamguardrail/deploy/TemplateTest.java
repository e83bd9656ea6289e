package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.iamguardrail.e2e.Cli;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** template.yaml as a user deploys it: valid for CloudFormation and SAM, and held to our own rules. */
class TemplateTest {

    @Test
    void cfnLintWithTheSamTranslatorReportsNoError() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("cfn-lint", "--format", "parseable", DeployTemplate.PATH.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("expected cfn-lint on the PATH (pip install cfn-lint; .ci/run checks for it): " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        // cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational.
        assertThat(p.exitValue() & 2).as(out).isZero();
        assertThat(out.lines().filter(l -> l.contains(":E"))).as(out).isEmpty();
    }

    @Test
    void ourOwnCheckFindsNothingInOurTemplateButTheRemediationPowersItExemptsByName() {
        Cli.Result exempted = Cli.run(DeployTemplate.PATH.getParent(), "check", "--format", "json", "--fail-on", "INFO",
                "--config", "functions/self-check.yaml", "template.yaml");
        Cli.Result plain = Cli.run(DeployTemplate.PATH.getParent(), "check", "--format", "json", "template.yaml");

        assertThat(exempted.json().path("findings")).as(exempted.out()).isEmpty();
        assertThat(exempted.exit()).as(exempted.err()).isZero();
        // Without the exemptions, only the REMEDIATE-mode policy is flagged (attached to the evaluator's role when
        // Mode=REMEDIATE): every other policy and every other role passes as written.
        List<String> flagged = new ArrayList<>();
        plain.json().path("findings").forEach(f -> flagged.add(f.path("principal").asText() + " "
                + f.path("location").path("pointer").asText()));
        assertThat(flagged).isNotEmpty().allMatch(f -> f.startsWith("role EvaluatorRole /Resources/RemediationPolicy/"));
    }

    @Test
    void everyHandlerNamesAClassAndMethodInTheDeploymentJar() throws Exception {
        Path jar = Path.of(System.getProperty("guardrail.lambda.jar"));
        JsonNode resources = DeployTemplate.template().path("Resources");
        List<String> handlers = new ArrayList<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            for (Map.Entry<String, JsonNode> r : (Iterable<Map.Entry<String, JsonNode>>) resources::fields) {
                if (!r.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                    continue;
                }
                String handler = r.getValue().path("Properties").path("Handler").asText();
                assertThat(handler).as(r.getKey()).matches("[a-zA-Z0-9_.]+::[a-zA-Z0-9_]+");
                String cls = handler.substring(0, handler.indexOf("::")).replace('.', '/') + ".class";
                assertThat(j.getEntry(cls)).as(r.getKey() + ": " + cls + " in " + jar).isNotNull();
                handlers.add(handler);
            }
        }
        assertThat(handlers).contains("io.iamguardrail.handlers.EvaluatorHandler::handleRequest");
    }

    @Test
    void theParametersAUserSetsAreThere() throws IOException {
        JsonNode t = DeployTemplate.template();

        assertThat(new TreeSet<>(fieldNames(t.path("Parameters")))).contains("Mode", "AlertThreshold", "AlertEmail",
                "SlackWebhookSecretArn", "TrustedAccountIds", "ExemptPrincipalArns", "CreateTrail");
        assertThat(t.path("Parameters").path("Mode").path("Default").asText()).isEqualTo("ALERT");
        assertThat(t.path("Rules").path("IamEventsArriveInUsEast1").path("Assertions").get(0)
                .path("AssertDescription").asText()).contains("us-east-1");
        assertThat(fieldNames(t.path("Outputs"))).contains("AlertTopicArn", "UndeliveredEventQueueUrl",
                "FailedEventQueueUrl", "BackupBucketName", "EvaluatorFunctionName");
    }

    @Test
    void theBackupBucketIsVersionedEncryptedPrivateAndTlsOnly() throws IOException {
        JsonNode r = DeployTemplate.template().path("Resources");
        JsonNode bucket = r.path("BackupBucket").path("Properties");

        assertThat(bucket.path("VersioningConfiguration").path("Status").asText()).isEqualTo("Enabled");
        assertThat(bucket.path("BucketEncryption").path("ServerSideEncryptionConfiguration")).isNotEmpty();
        assertThat(bucket.path("PublicAccessBlockConfiguration").toString()).doesNotContain("false");
        assertThat(r.path("BackupBucket").path("DeletionPolicy").asText()).isEqualTo("Retain");
        JsonNode tls = r.path("BackupBucketPolicy").path("Properties").path("PolicyDocument").path("Statement").get(0);
        assertThat(tls.path("Effect").asText()).isEqualTo("Deny");
        assertThat(tls.path("Condition").path("Bool").path("aws:SecureTransport").asText()).isEqualTo("false");
    }

    @Test
    void everyFunctionFailureEndsInAQueueWithAnAlarm() throws IOException {
        JsonNode r = DeployTemplate.template().path("Resources");
        JsonNode evaluator = r.path("EvaluatorFunction").path("Properties");

        for (JsonNode rule : DeployTemplate.evaluatorRules().values()) {
            JsonNode target = rule.path("Targets").get(0);
            assertThat(target.path("DeadLetterConfig").path("Arn").asText()).isEqualTo("UndeliveredEventQueue.Arn");
            assertThat(target.path("RetryPolicy").path("MaximumRetryAttempts").asInt()).isPositive();
        }
        // An event the function fails on three times is kept, with its body, in the failed-event queue.
        JsonNode queue = evaluator.path("Events").path("Queue").path("Properties");
        assertThat(queue.path("FunctionResponseTypes").toString()).isEqualTo("[\"ReportBatchItemFailures\"]");
        assertThat(r.path("EvaluatorQueue").path("Properties").path("RedrivePolicy").path("deadLetterTargetArn").asText())
                .isEqualTo("FailedEventQueue.Arn");
        List<String> alarmed = new ArrayList<>();
        for (JsonNode res : r) {
            if (res.path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                alarmed.add(res.path("Properties").path("Dimensions").path(0).path("Value").asText());
            }
        }
        assertThat(alarmed).contains("EvaluatorFunction", "UndeliveredEventQueue.QueueName",
                "FailedEventQueue.QueueName");
    }

    @Test
    void everyFunctionWithAnOnFailureQueueMaySendToIt() throws IOException {
        JsonNode r = DeployTemplate.template().path("Resources");
        for (Map.Entry<String, JsonNode> f : (Iterable<Map.Entry<String, JsonNode>>) r::fields) {
            JsonNode props = f.getValue().path("Properties");
            String queue = props.path("EventInvokeConfig").path("DestinationConfig").path("OnFailure").path("Destination").asText();
            if (!f.getValue().path("Type").asText().equals("AWS::Serverless::Function") || queue.isEmpty()) {
                continue;
            }
            // An explicit role gets no permission from SAM: without this grant the failure would be lost.
            String role = props.path("Role").asText().replace(".Arn", "");
            JsonNode policy = r.path(r.path(role).path("Properties").path("ManagedPolicyArns").get(0).asText());
            assertThat(policy.path("Properties").path("PolicyDocument").path("Statement").toString())
                    .as(f.getKey() + " sends its failures to " + queue)
                    .contains("\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + queue + "\"");
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
