package io.iamguardrail.notify;

import java.util.List;

/**
 * One message for a Slack incoming webhook: the Block Kit JSON, and the ids of the alerts it carries (SNS or SQS
 * message ids), so that a failed post fails exactly those alerts.
 */
public record SlackMessage(String json, List<String> alertIds) {
    public SlackMessage {
        alertIds = List.copyOf(alertIds);
    }
}
