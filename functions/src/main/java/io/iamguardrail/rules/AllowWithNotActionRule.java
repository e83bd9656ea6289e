package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.DocumentRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.ActionSpec;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.Statement;

import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/** Allow with NotAction: grants everything not listed, including every action AWS adds later. */
final class AllowWithNotActionRule implements DocumentRule {

    static final RuleMetadata META = Meta.permission("ALLOW_WITH_NOT_ACTION", Severity.MEDIUM,
            "Allow with NotAction",
            "An Allow with NotAction grants every action that is not listed, across all services, including actions"
                    + " AWS releases later; the grant grows without anyone changing the policy.",
            "List the actions to allow with Action; use NotAction only in Deny statements.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html")
            .with(RuleTrait.IMPLIED_BY_ADMIN);

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        if (policy.origin() == SourcedPolicy.Origin.BOUNDARY) {
            return; // a boundary grants nothing: its broad Allow is how a boundary is written
        }
        for (Statement s : doc.statements()) {
            if (s.isAllow() && s.actions() instanceof ActionSpec.Not not) {
                BitSet excluded = new BitSet();
                not.patterns().forEach(p -> excluded.or(ctx.catalog().expand(p)));
                int allowed = ctx.catalog().size() - excluded.cardinality();
                ctx.report(policy.source() + "#" + s.at().pointer(), META.severity(), Optional.empty(),
                        policy.source(), not.at(), s.label() + " allows every action except "
                                + not.patterns().size() + " pattern(s) with `NotAction`: " + allowed + " of "
                                + ctx.catalog().size() + " known actions, and any new ones", List.of());
            }
        }
    }
}
