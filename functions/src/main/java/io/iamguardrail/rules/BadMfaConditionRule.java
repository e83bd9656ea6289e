package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.DocumentRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.Condition;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.Statement;

import java.util.List;
import java.util.Optional;

/**
 * MFA conditions written so that they do not protect. Requests signed with long-term access keys carry no
 * {@code aws:MultiFactorAuthPresent} at all, so:
 * <ul>
 *   <li>a Deny on {@code Bool aws:MultiFactorAuthPresent false} does not apply to them (use BoolIfExists);</li>
 *   <li>an Allow on {@code BoolIfExists aws:MultiFactorAuthPresent true} is granted to them.</li>
 * </ul>
 */
final class BadMfaConditionRule implements DocumentRule {

    static final RuleMetadata META = Meta.permission("BAD_MFA_CONDITION", Severity.MEDIUM,
            "MFA condition that does not protect",
            "aws:MultiFactorAuthPresent is absent from requests made with long-term access keys, so a Deny on"
                    + " `Bool ... false` lets them through and an Allow on `BoolIfExists ... true` grants them access.",
            "In a Deny use `BoolIfExists {\"aws:MultiFactorAuthPresent\": \"false\"}`; in an Allow use"
                    + " `Bool {\"aws:MultiFactorAuthPresent\": \"true\"}`.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent")
            .with(RuleTrait.AWS_AUTHORED_NOISE);

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        for (Statement s : doc.statements()) {
            for (Condition c : s.conditions()) {
                if (!c.keyLower().equals("aws:multifactorauthpresent") || !c.operator().equals("Bool")) {
                    continue;
                }
                boolean saysFalse = c.values().stream().anyMatch("false"::equalsIgnoreCase);
                boolean saysTrue = c.values().stream().anyMatch("true"::equalsIgnoreCase);
                String problem = null;
                if (!s.isAllow() && saysFalse && !c.ifExists()) {
                    problem = " denies only when `aws:MultiFactorAuthPresent` is false, but requests with long-term"
                            + " access keys do not carry the key, so they are not denied; use `BoolIfExists`";
                } else if (s.isAllow() && saysTrue && c.ifExists()) {
                    problem = " allows with `BoolIfExists` `aws:MultiFactorAuthPresent` true, which also matches"
                            + " requests with long-term access keys and no MFA; use `Bool`";
                }
                if (problem != null) {
                    ctx.report(policy.source() + "#" + c.at().pointer(), META.severity(), Optional.empty(),
                            policy.source(), c.at(), s.label() + problem, List.of());
                }
            }
        }
    }
}
