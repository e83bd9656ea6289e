package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;

/**
 * A change to the guardrail's own resources: its functions, rules, topics, queues, keys, table, buckets, trail, log
 * groups, schedules, roles or policies. The evaluator raises it (it knows the stack's resources); this class carries
 * its metadata.
 */
public final class GuardrailTamperedRule implements EventRule {

    public static final RuleMetadata META = new RuleMetadata("GUARDRAIL_TAMPERED", Severity.CRITICAL, "change",
            "The guardrail itself was changed",
            "Switching the guardrail to alert-only, exempting everyone, disabling its rule, unsubscribing its alerts,"
                    + " disabling its key or stopping the trail silences every later alert: an attacker does this"
                    + " first. Only a deployment of the stack should change its resources.",
            "Check who made the call and why; if it was not a deployment of the stack, revoke the caller's sessions"
                    + " and redeploy the stack (a stack update puts every resource back as the template says).",
            List.of("https://attack.mitre.org/techniques/T1562/001/",
                    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        return List.of();
    }

    /** The finding for a change to {@code what} (e.g. {@code lambda `guardrail-evaluator`}), at the field naming it. */
    public Finding tampered(CloudTrailEvent event, String field, String what) {
        return finding(event, field, "`" + event.eventName() + "` by " + event.actor().display() + " changed the"
                + " guardrail's own " + what + ": not a change the guardrail made");
    }
}
