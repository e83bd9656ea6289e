package io.iamguardrail.priming;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Priming's rehearsal: the bundled event through the function's own pipeline on clients that answer from bundled
 * AWS responses. It must take the same calls a real invocation takes, and nothing of it may reach the logs or the
 * metrics, since it is not an event.
 */
class RehearsalTest {

    private final PrintStream realOut = System.out;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void captureStdoutAndSetARegion() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        // Lambda always sets AWS_REGION; the SDK reads this property first.
        System.setProperty("aws.region", "us-east-1");
    }

    @AfterEach
    void restore() {
        System.setOut(realOut);
        System.clearProperty("aws.region");
    }

    @Test
    void inAlertModeTheRehearsalReadsTheRoleRecordsTheEventAndPublishesWithoutLoggingADecision() {
        List<String> answered = Rehearsal.rehearse(Map.of(
                "TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:guardrail-alerts", "TABLE_NAME", "guardrail-state",
                "MODE", "ALERT"));

        assertThat(answered).contains("iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy",
                "iam:ListAttachedRolePolicies", "iam:GetPolicy", "iam:GetPolicyVersion", "sns:Publish",
                "dynamodb:PutItem");
        assertThat(answered).noneMatch(call -> call.startsWith("s3:") || call.matches("iam:(Delete|Detach|Put).*"));
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("decision").doesNotContain("EventsProcessed");
    }

    @Test
    void inRemediateModeTheRehearsalAlsoTakesTheBackupAndTheIamWritesOnTheBundledRole() {
        List<String> answered = Rehearsal.rehearse(Map.of(
                "TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:guardrail-alerts", "TABLE_NAME", "guardrail-state",
                "MODE", "REMEDIATE", "BACKUP_BUCKET", "guardrail-backups"));

        assertThat(answered).anyMatch(call -> call.startsWith("s3:PUT "));
        assertThat(answered).anyMatch(call -> call.matches("iam:(DeleteRolePolicy|PutRolePolicy|AttachRolePolicy)"));
        assertThat(answered).contains("dynamodb:UpdateItem", "sns:Publish");
    }

    @Test
    void withAMacKeyTheRehearsalSignsTheBackupOnLoopbackToo() {
        List<String> answered = Rehearsal.rehearse(Map.of(
                "TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:guardrail-alerts", "TABLE_NAME", "guardrail-state",
                "MODE", "REMEDIATE", "BACKUP_BUCKET", "guardrail-backups",
                "MAC_KEY_ID", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"));

        assertThat(answered).contains("kms:GenerateMac").anyMatch(call -> call.startsWith("s3:PUT "));
    }

    @Test
    void withoutATableTheRehearsalMakesNoDynamoDbCall() {
        List<String> answered = Rehearsal.rehearse(Map.of(
                "TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:guardrail-alerts", "MODE", "ALERT"));

        assertThat(answered).contains("iam:GetRole", "sns:Publish").noneMatch(call -> call.startsWith("dynamodb:"));
    }
}
