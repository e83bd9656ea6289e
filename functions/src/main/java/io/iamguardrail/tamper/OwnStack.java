package io.iamguardrail.tamper;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.Map;
import java.util.Optional;

/**
 * What an event means for the guardrail's own stack: the daily heartbeat (the scheduler's tag on the canary role,
 * proof that CloudTrail, EventBridge and the evaluator still work), a change to one of its resources (tampering), or
 * nothing.
 *
 * @param canaryRole the canary role's name ({@code HEARTBEAT_CANARY_ROLE})
 * @param heartbeatCaller the role the heartbeat schedule calls IAM with ({@code HEARTBEAT_CALLER_ROLE_ARN})
 */
public record OwnStack(StackResources resources, Optional<String> canaryRole, Optional<String> heartbeatCaller) {

    public static final OwnStack NONE = new OwnStack(StackResources.NONE, Optional.empty(), Optional.empty());

    /** What the classification found. */
    public sealed interface Touch permits Heartbeat, Tampered {
    }

    /** The scheduled tag on the canary role, by the heartbeat's own role. */
    public record Heartbeat(String canaryRole) implements Touch {
    }

    /** A change to the stack's own resources by anyone but the heartbeat on the canary. */
    public record Tampered(StackResources.Touched what) implements Touch {
    }

    public static OwnStack fromEnvironment(Map<String, String> env) {
        return new OwnStack(StackResources.parse(env.getOrDefault("GUARDRAIL_RESOURCES", ""),
                nonBlank(env.get("GUARDRAIL_STACK"))),
                nonBlank(env.get("HEARTBEAT_CANARY_ROLE")), nonBlank(env.get("HEARTBEAT_CALLER_ROLE_ARN")));
    }

    private static Optional<String> nonBlank(String v) {
        return Optional.ofNullable(v).map(String::trim).filter(s -> !s.isEmpty());
    }

    public Optional<Touch> classify(CloudTrailEvent e) {
        if (isHeartbeat(e)) {
            return Optional.of(new Heartbeat(canaryRole.get()));
        }
        return resources.touched(e).map(Tampered::new);
    }

    /**
     * Only {@code TagRole} on the canary, made with the heartbeat's role (an assumed-role session of it, as the
     * scheduler makes): the same call by anyone else, or anything else on the canary, is a change to the stack.
     */
    private boolean isHeartbeat(CloudTrailEvent e) {
        return canaryRole.isPresent() && heartbeatCaller.isPresent()
                && e.eventSource().filter("iam.amazonaws.com"::equals).isPresent()
                && EventKind.TagRole.is(e.eventName())
                && e.request("roleName").equals(canaryRole)
                && e.actor().sessionIssuerArn().equals(heartbeatCaller);
    }
}
