package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.DocumentRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyDocument;

import java.util.List;
import java.util.Optional;

/** Hygiene: a policy attached to (or embedded in) an IAM user rather than granted through a group or a role. */
final class UserDirectPolicyRule implements DocumentRule {

    static final RuleMetadata META = Meta.permission("USER_DIRECT_POLICY", Severity.LOW,
            "Policy attached directly to a user",
            "Permissions given user by user drift apart and are forgotten when people change jobs; groups and roles"
                    + " keep them reviewable.",
            "Attach the policy to a group (or let the user assume a role) and remove it from the user.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html");

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        if (!Where.isUser(subject, policy)) {
            return;
        }
        ctx.report(policy.source() + "#" + doc.at().pointer(), META.severity(), Optional.empty(), policy.source(),
                doc.at(), "policy `" + policy.name() + "` is attached directly to user " + subject.principalLabel(),
                List.of());
    }
}
