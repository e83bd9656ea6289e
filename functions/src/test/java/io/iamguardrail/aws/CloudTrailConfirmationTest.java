package io.iamguardrail.aws;

import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.remediation.EventConfirmation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What CloudTrail's record must agree on before the guardrail writes on an event's strength, tried with the fields an
 * attacker re-sending a real event would change.
 */
class CloudTrailConfirmationTest {

    static final String RECORD = """
            {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/ci/job-1",
              "accountId":"123456789012","sessionContext":{"sessionIssuer":{"type":"Role",
              "arn":"arn:aws:iam::123456789012:role/ci","accountId":"123456789012","userName":"ci"}}},
             "eventTime":"2026-12-07T11:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey",
             "awsRegion":"us-east-1","requestParameters":{"userName":"bob"},
             "responseElements":{"accessKey":{"accessKeyId":"AKIAEXAMPLE1","status":"Active","userName":"bob"}},
             "eventID":"e-1","recipientAccountId":"123456789012"}
            """;

    static CloudTrailEvent event(String json) {
        return EventDecoder.decode(json.getBytes(StandardCharsets.UTF_8)).event().orElseThrow();
    }

    static EventConfirmation.Result compare(String received) {
        return CloudTrailConfirmation.compare(event(received), event(RECORD));
    }

    @Test
    void theEventCloudTrailRecordedIsConfirmed() {
        assertThat(compare(RECORD).status()).isEqualTo(EventConfirmation.Status.CONFIRMED);
    }

    @Test
    void anOldRealEventResentWithTheTimeOfNowIsNotConfirmed() {
        EventConfirmation.Result r = compare(RECORD.replace("2026-12-07T11:00:00Z", "2026-12-07T11:55:00Z"));
        assertThat(r.status()).isEqualTo(EventConfirmation.Status.CONTRADICTED);
        assertThat(r.why()).isEqualTo("expected eventTime `2026-12-07T11:00:00Z` as CloudTrail recorded it but the event"
                + " says `2026-12-07T11:55:00Z`");
    }

    @Test
    void aResponseNamingAnotherKeyIsNotConfirmed() {
        assertThat(compare(RECORD.replace("AKIAEXAMPLE1", "AKIAVICTIMKEY")).status())
                .isEqualTo(EventConfirmation.Status.CONTRADICTED);
    }

    @Test
    void anotherRoleBehindTheSameSessionNameIsNotConfirmed() {
        assertThat(compare(RECORD.replace("\"arn\":\"arn:aws:iam::123456789012:role/ci\"",
                "\"arn\":\"arn:aws:iam::123456789012:role/break-glass\"")).status())
                .isEqualTo(EventConfirmation.Status.CONTRADICTED);
    }

    @Test
    void aFailedCallWithItsErrorRemovedIsNotConfirmed() {
        String failed = RECORD.replace("\"eventID\":\"e-1\"", "\"eventID\":\"e-1\",\"errorCode\":\"AccessDenied\"");
        EventConfirmation.Result r = CloudTrailConfirmation.compare(event(RECORD), event(failed));
        assertThat(r.status()).isEqualTo(EventConfirmation.Status.CONTRADICTED);
        assertThat(r.why()).contains("errorCode `AccessDenied`");
    }

    @Test
    void anotherRequestIsNotConfirmed() {
        assertThat(compare(RECORD.replace("{\"userName\":\"bob\"}", "{\"userName\":\"alice\"}")).status())
                .isEqualTo(EventConfirmation.Status.CONTRADICTED);
    }
}
