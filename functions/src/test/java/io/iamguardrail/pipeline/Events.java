package io.iamguardrail.pipeline;

import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;

import java.nio.charset.StandardCharsets;

/** Builds CloudTrail events in their real EventBridge shape for tests. */
final class Events {

    private Events() {
    }

    /** An event by an SSO admin session (MFA), with the given name and requestParameters JSON. */
    static String json(String eventName, String requestParameters) {
        return """
                {"version":"0","id":"6f9a1c2e-0000-4000-8000-000000000001","detail-type":"AWS API Call via CloudTrail",
                 "source":"aws.iam","account":"123456789012","time":"2026-11-28T15:00:00Z","region":"us-east-1","resources":[],
                 "detail":{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole",
                   "principalId":"AROAEXAMPLE:alice@example.com",
                   "arn":"arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com",
                   "accountId":"123456789012","accessKeyId":"ASIAEXAMPLE",
                   "sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE",
                     "arn":"arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123",
                     "accountId":"123456789012","userName":"AWSReservedSSO_Admin_0123"},
                     "attributes":{"creationDate":"2026-11-28T14:50:00Z","mfaAuthenticated":"true"}}},
                   "eventTime":"2026-11-28T15:00:00Z","eventSource":"iam.amazonaws.com","eventName":"%s",
                   "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0",
                   "requestParameters":%s,"responseElements":null,"requestID":"req-1",
                   "eventID":"evt-%s","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,
                   "recipientAccountId":"123456789012","eventCategory":"Management"}}
                """.formatted(eventName, requestParameters, eventName);
    }

    static CloudTrailEvent event(String eventName, String requestParameters) {
        return EventDecoder.decode(json(eventName, requestParameters).getBytes(StandardCharsets.UTF_8)).event().orElseThrow();
    }

    /** A JSON string literal of a policy document, as CloudTrail embeds the request copy. */
    static String quoted(String document) {
        return "\"" + document.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
