package io.iamguardrail.pipeline;

import io.iamguardrail.notify.AlertAttributes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The attacker who disables the alert key or unsubscribes the alerts must still be heard on the operations topic. */
class OperationsCopyTest {

    private final List<String> sent = new ArrayList<>();

    private AlertPublisher topic(String name, boolean works) {
        return alert -> {
            if (!works) {
                throw new IllegalStateException("KMSDisabledException: the key of " + name + " is disabled");
            }
            sent.add(name);
            return name + "-id";
        };
    }

    private static Alert alert(String... ruleIds) {
        return new Alert("s", "{}", "e", new AlertAttributes("CRITICAL", List.of(ruleIds), "123456789012", "PutRolePolicy"));
    }

    @Test
    void aTamperAlertGoesToTheOperationsTopicFirstAndThenToTheAlertTopic() {
        String id = new OperationsCopy(topic("alerts", true), topic("operations", true))
                .publish(alert("GUARDRAIL_TAMPERED", "INLINE_POLICY"));

        assertThat(sent).containsExactly("operations", "alerts");
        assertThat(id).isEqualTo("alerts-id");
    }

    @Test
    void withTheAlertKeyDisabledTheOperationsTopicStillHearsItAndTheDeliveryFailsForARetry() {
        OperationsCopy copy = new OperationsCopy(topic("alerts", false), topic("operations", true));

        assertThatThrownBy(() -> copy.publish(alert("GUARDRAIL_TAMPERED"))).hasMessageContaining("alerts is disabled");
        assertThat(sent).containsExactly("operations");
    }

    @Test
    void aFailedOperationsCopyFailsTheDeliveryAfterTheAlertIsOut() {
        OperationsCopy copy = new OperationsCopy(topic("alerts", true), topic("operations", false));

        assertThatThrownBy(() -> copy.publish(alert("GUARDRAIL_TAMPERED")))
                .hasMessageContaining("not to the operations topic");
        assertThat(sent).containsExactly("alerts");
    }

    @Test
    void anyOtherAlertGoesToTheAlertTopicOnly() {
        new OperationsCopy(topic("alerts", true), topic("operations", true))
                .publish(alert("GUARDRAIL_ROLE_MISUSE", "GUARDRAIL_TAMPERED_LOOKALIKE"));

        assertThat(sent).containsExactly("alerts");
    }
}
