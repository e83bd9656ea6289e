package io.iamguardrail.aws;

import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeWriter;
import io.iamguardrail.remediation.EventConfirmation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * CloudTrail's event history (LookupEvents by event id, in the region of the client: IAM's events are recorded in
 * us-east-1) compared with the event received: the same API, source, account, caller, time, outcome, request
 * parameters and response elements. A real event re-sent later with a new time, a failed call with its error code
 * removed, or a response naming another key or ARN is not confirmed.
 */
public final class CloudTrailConfirmation implements EventConfirmation {

    private final CloudTrailClient cloudTrail;

    public CloudTrailConfirmation(CloudTrailClient cloudTrail) {
        this.cloudTrail = cloudTrail;
    }

    @Override
    public Result confirm(CloudTrailEvent event) {
        List<Event> found;
        try {
            found = cloudTrail.lookupEvents(b -> b.lookupAttributes(a -> a.attributeKey(LookupAttributeKey.EVENT_ID)
                    .attributeValue(event.eventId())).maxResults(1)).events();
        } catch (SdkException e) {
            return new Result(Status.UNAVAILABLE, "LookupEvents failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
        }
        if (found.isEmpty() || found.get(0).cloudTrailEvent() == null) {
            return new Result(Status.NOT_FOUND, "not in CloudTrail's event history (yet)");
        }
        Optional<CloudTrailEvent> recorded = EventDecoder.decode(found.get(0).cloudTrailEvent()
                .getBytes(StandardCharsets.UTF_8)).event();
        if (recorded.isEmpty()) {
            return new Result(Status.UNAVAILABLE, "CloudTrail's record could not be read");
        }
        return compare(event, recorded.get());
    }

    /** The fields an attacker would change to steer the guardrail: any difference means the event is not CloudTrail's. */
    static Result compare(CloudTrailEvent received, CloudTrailEvent recorded) {
        if (!received.eventName().equals(recorded.eventName())) {
            return differs("eventName", received.eventName(), recorded.eventName());
        }
        if (!received.eventSource().equals(recorded.eventSource())) {
            return differs("eventSource", received.eventSource().orElse(""), recorded.eventSource().orElse(""));
        }
        if (!received.recipientAccountId().equals(recorded.recipientAccountId())) {
            return differs("recipientAccountId", received.recipientAccountId().orElse(""),
                    recorded.recipientAccountId().orElse(""));
        }
        if (!received.actor().arn().equals(recorded.actor().arn())) {
            return differs("userIdentity.arn", received.actor().arn().orElse(""), recorded.actor().arn().orElse(""));
        }
        if (!received.actor().sessionIssuerArn().equals(recorded.actor().sessionIssuerArn())) {
            return differs("userIdentity.sessionContext.sessionIssuer.arn", received.actor().sessionIssuerArn().orElse(""),
                    recorded.actor().sessionIssuerArn().orElse(""));
        }
        if (!received.eventTime().equals(recorded.eventTime())) {
            return differs("eventTime", received.eventTime().orElse(""), recorded.eventTime().orElse(""));
        }
        if (!received.errorCode().equals(recorded.errorCode())) {
            return differs("errorCode", received.errorCode().orElse("(none)"), recorded.errorCode().orElse("(none)"));
        }
        if (!Node.sameValue(received.responseElements(), recorded.responseElements())) {
            return new Result(Status.CONTRADICTED, "expected responseElements " + NodeWriter.toJson(recorded.responseElements())
                    + " as CloudTrail recorded them");
        }
        if (!Node.sameValue(received.requestParameters(), recorded.requestParameters())) {
            return new Result(Status.CONTRADICTED, "expected requestParameters " + NodeWriter.toJson(recorded.requestParameters())
                    + " as CloudTrail recorded them");
        }
        return Result.confirmed();
    }

    private static Result differs(String field, String received, String recorded) {
        return new Result(Status.CONTRADICTED, "expected " + field + " `" + recorded + "` as CloudTrail recorded it"
                + " but the event says `" + received + "`");
    }
}
