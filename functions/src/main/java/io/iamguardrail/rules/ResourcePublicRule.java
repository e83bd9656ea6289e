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

/**
 * A resource policy that lets anyone ({@code Principal: "*"} or {@code {"AWS": "*"}}) act on the resource without
 * a condition that narrows who: CRITICAL when anyone may write or change permissions, HIGH when anyone may read.
 */
final class ResourcePublicRule implements DocumentRule {

    static final RuleMetadata META = new RuleMetadata("RESOURCE_PUBLIC", Severity.CRITICAL, "resource",
            "Resource open to anyone",
            "A resource policy that grants to `*` without a condition on the caller's organisation, account, VPC"
                    + " endpoint or source lets every AWS customer (and, for some services, anonymous callers) use"
                    + " the resource: public buckets and queues are how data leaks and how attackers get in.",
            "Name the principals that need access; if a wildcard is needed, add aws:PrincipalOrgID,"
                    + " aws:PrincipalAccount, aws:SourceAccount/aws:SourceArn or aws:SourceVpce conditions.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html",
                    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        ResourceAccess.eachGranted(policy, doc, (s, p) -> {
            if (!p.isEveryone() || ResourceAccess.narrowing(s).isPresent()) {
                return;
            }
            boolean write = ResourceAccess.grantsWrite(s, ctx);
            Severity severity = write ? Severity.CRITICAL : Severity.HIGH;
            Optional<String> lowered = ResourceAccess.lowering(s);
            ctx.report(policy.source() + "#" + p.at().pointer(), severity, lowered, policy.source(), p.at(),
                    s.label() + " of " + policy.name() + " lets anyone (`*`) " + (write ? "use or change it with " : "read it with ")
                            + ResourceAccess.actions(s) + ", with no condition on the caller's organisation, account,"
                            + " VPC endpoint or source", List.of());
        });
    }
}
