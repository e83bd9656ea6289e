package io.iamguardrail.engine;

import io.iamguardrail.config.Severity;
import io.iamguardrail.json.SourceLocation;

import java.util.List;
import java.util.Optional;

/**
 * One reason to worry, with where it is and how to fix it.
 *
 * @param ruleId      stable rule id (a public contract)
 * @param key         what the finding is about, for de-duplication across policies: rule id plus the action,
 *                    method or statement concerned
 * @param source      the file (or principal) the location refers to
 * @param principal   the role, user or group concerned, when known (an ARN, a template logical id)
 * @param message     one lowercase sentence naming the place; user input in backticks
 * @param remediation how to fix it
 * @param lowered     why the severity is lower than the rule's default, when it is (a restrictive condition)
 * @param related     other places that contribute (the second policy of an escalation found "together")
 */
public record Finding(String ruleId, String key, Severity severity, String title, String message, String remediation,
                      String source, Optional<String> principal, SourceLocation location, Optional<String> lowered,
                      List<SourceRef> related) {

    public Finding {
        related = List.copyOf(related);
    }

    /** A place in a source: the statement of another policy that contributes to a finding. */
    public record SourceRef(String source, SourceLocation location) {
    }

    public Finding withSeverity(Severity s) {
        return new Finding(ruleId, key, s, title, message, remediation, source, principal, location, lowered, related);
    }
}
