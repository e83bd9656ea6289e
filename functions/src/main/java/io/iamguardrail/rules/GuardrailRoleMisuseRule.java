package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;

/**
 * An IAM change made with one of the guardrail's roles that the guardrail did not record making: another function
 * created with its role, or a stolen session, is using the guardrail's permissions.
 */
final class GuardrailRoleMisuseRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("GUARDRAIL_ROLE_MISUSE", Severity.CRITICAL, "change",
            "Guardrail role used by something other than the guardrail",
            "The guardrail's roles hold IAM write permissions. A change made with them that the guardrail did not"
                    + " record is someone else acting with those permissions (a function created with the role through"
                    + " iam:PassRole, or leaked session credentials), and the change itself is unreviewed.",
            "Find the session in CloudTrail (its access key and source), revoke it (revoke the role's active sessions),"
                    + " undo the change, and check who may pass the guardrail's roles (iam:PassRole) or assume them.",
            List.of("https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html",
                    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        if (!facts.unrecordedGuardrailChange()) {
            return List.of();
        }
        String role = event.actor().sessionIssuerArn().or(() -> event.actor().arn()).orElse("?");
        return List.of(finding(event, "userIdentity/sessionContext/sessionIssuer/arn", "`" + event.eventName()
                + "` was called with the guardrail's role `" + role + "`, but the guardrail recorded no such change"));
    }
}
