package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.DocumentRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.ResourceSpec;
import io.iamguardrail.policy.Statement;

import java.util.List;
import java.util.Optional;

/** Allow with NotResource: grants the actions on every resource except the listed ones, in every service. */
final class AllowWithNotResourceRule implements DocumentRule {

    static final RuleMetadata META = Meta.permission("ALLOW_WITH_NOT_RESOURCE", Severity.MEDIUM,
            "Allow with NotResource",
            "An Allow with NotResource grants the actions on every resource that is not listed, including resources"
                    + " in other accounts and resources created later.",
            "List the resources to allow with Resource; use NotResource only in Deny statements.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html");

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
            if (s.isAllow() && s.resources() instanceof ResourceSpec.Not not) {
                ctx.report(policy.source() + "#" + s.at().pointer(), META.severity(), Optional.empty(),
                        policy.source(), not.at(), s.label() + " allows its actions on every resource except "
                                + not.patterns().size() + " with `NotResource`", List.of());
            }
        }
    }
}
