package io.iamguardrail.notify;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The document is read tolerantly: another producer, or an older schema, may put anything in a field. */
class AlertDocumentTest {

    @Test
    void missingFieldsAreEmptyAndLooseTypesAreRead() {
        AlertDocument v = AlertDocument.parse("""
                {"schema": "iam-guardrail/alert/1", "summary": "s", "severity": "HIGH",
                 "event": {"name": "AttachRolePolicy", "account": 123456789012},
                 "actor": {"type": "IAMUser", "mfa": "true"},
                 "findings": [{"ruleId": "ADMIN_ACCESS", "title": "t", "principal": null}],
                 "findingsNotShown": {"SERVICE_WILDCARD": 3, "UNKNOWN_ACTION": "2", "ODD": {}},
                 "newAccess": ["iam:*", {"policy": "x"}, null, 5],
                 "notes": "one note",
                 "remediation": ["detach", "backup"]}
                """);
        assertThat(v.event().id()).isEqualTo("unknown");
        assertThat(v.event().account()).contains("123456789012");
        assertThat(v.actor().mfa()).isTrue();
        assertThat(v.actor().arn()).isEmpty();
        assertThat(v.findings()).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("ADMIN_ACCESS");
            assertThat(f.severity()).isEqualTo("INFO");
            assertThat(f.principal()).isEmpty();
        });
        assertThat(v.findingsNotShown()).isEqualTo(Map.of("SERVICE_WILDCARD", 3L, "UNKNOWN_ACTION", 2L, "ODD", 0L));
        assertThat(v.newAccess()).containsExactly("iam:*", "{\"policy\":\"x\"}", "null", "5");
        assertThat(v.notes()).containsExactly("one note");
        assertThat(v.remediation().text()).contains("[\"detach\",\"backup\"]");
    }

    @Test
    void aNumberNoDecimalCanHoldIsNoFlagRatherThanAnError() {
        AlertDocument v = AlertDocument.parse("{\"schema\": \"iam-guardrail/alert/1\", \"actor\": {\"mfa\": 1e9999999999}}");
        assertThat(v.actor().mfa()).isFalse();
    }

    @Test
    void theObjectFormOfRemediationKeepsItsUndo() {
        AlertDocument v = AlertDocument.parse("""
                {"schema": "iam-guardrail/alert/1",
                 "remediation": {"mode": "REMEDIATE", "status": "DONE", "backupId": "b-1",
                   "actions": [{"action": "DETACH_POLICY", "target": "role/x"}],
                   "undo": {"command": "iam-guardrail restore b-1", "aws": ["aws iam attach-role-policy ..."]}}}
                """);
        Remediation r = v.remediation();
        assertThat(r.headline()).contains("DONE (REMEDIATE mode)");
        assertThat(r.actions()).containsExactly(
                new Remediation.Action("DETACH_POLICY", Optional.of("role/x"), Optional.empty(), Optional.empty()));
        assertThat(r.undoCommand()).contains("iam-guardrail restore b-1");
        assertThat(r.undoAws()).isEqualTo(List.of("aws iam attach-role-policy ..."));
        assertThat(AlertDocument.parse("{\"schema\": \"iam-guardrail/alert/1\", \"remediation\": {\"undo\": \"x\"}}")
                .remediation().undoCommand()).contains("x");
    }

    @Test
    void notJsonOrNotAnObjectSaysWhatWasFound() {
        assertThatThrownBy(() -> AlertDocument.parse("[1]"))
                .hasMessage("expected the alert JSON (iam-guardrail/alert/1) to be an object but found an array");
        assertThatThrownBy(() -> AlertDocument.parse("{\"schema\": \"iam-guardrail/alert/1\",}"))
                .hasMessageStartingWith("expected the alert JSON (iam-guardrail/alert/1) but the message is not JSON:")
                .hasMessageContaining("at line 1, column");
    }
}
