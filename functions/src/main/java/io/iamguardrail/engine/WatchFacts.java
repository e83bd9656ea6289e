package io.iamguardrail.engine;

import java.util.List;
import java.util.Optional;

/**
 * What the evaluator read from IAM about a change on the watch list (reversals and takeover changes), for the rules
 * about the change. Each field is a phrase naming where the fact was found, ready for a message.
 *
 * @param removedDeny       the Deny a removed policy or group membership held, e.g.
 *                          {@code statement `NoIam` (#1) of `arn:…` denies `iam:*`}
 * @param removedQuarantine the quarantine a change lifted, e.g. {@code the guardrail's quarantine policy `arn:…`}
 * @param privilegedRole    why the role being added to an instance profile is privileged
 * @param tagConditions     the policy conditions that read a changed tag, e.g.
 *                          {@code `aws:PrincipalTag/team` in statement #1 of inline policy `deploy`}
 */
public record WatchFacts(Optional<String> removedDeny, Optional<String> removedQuarantine,
                         Optional<String> privilegedRole, List<String> tagConditions) {

    public static final WatchFacts NONE = new WatchFacts(Optional.empty(), Optional.empty(), Optional.empty(), List.of());

    public WatchFacts {
        tagConditions = List.copyOf(tagConditions);
    }
}
