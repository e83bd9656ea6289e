package io.iamguardrail.pipeline;

import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.rules.GuardrailTamperedRule;
import io.iamguardrail.tamper.OwnStack;

import java.util.List;
import java.util.Optional;

/** The decisions about the guardrail's own stack: the heartbeat it expects, and a change it did not make. */
final class Heartbeats {

    /** The reason of a heartbeat decision; the decision log counts it as {@code HeartbeatReceived}. */
    static final String RECEIVED = "heartbeat: the scheduled tag on the canary role arrived";

    private static final GuardrailTamperedRule TAMPERED = new GuardrailTamperedRule();

    private Heartbeats() {
    }

    static Decision received(CloudTrailEvent e) {
        return new Decision(e.eventId(), e.eventName(), Verdict.NO_ALERT, RECEIVED,
                e.request("roleName").map(r -> "role " + r), List.of(), List.of(), List.of(), Optional.of(e));
    }

    static boolean isHeartbeat(Decision d) {
        return d.verdict() == Verdict.NO_ALERT && RECEIVED.equals(d.reason());
    }

    static Finding tampered(CloudTrailEvent e, OwnStack.Tampered t) {
        return TAMPERED.tampered(e, t.what().field(), t.what().describe());
    }
}
