package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.DocumentRule;
import io.iamguardrail.engine.ResourceGrants;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.ActionPattern;
import io.iamguardrail.policy.ActionSpec;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.ResourcePattern;
import io.iamguardrail.policy.ResourceSpec;
import io.iamguardrail.policy.Statement;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code svc:*} allowed: high for services that control identity, keys, logging or compute, medium otherwise. */
final class ServiceWildcardRule implements DocumentRule {

    static final Set<String> SENSITIVE = Set.of("iam", "sts", "kms", "organizations", "cloudtrail", "lambda", "ec2",
            "secretsmanager", "ssm", "sso", "identitystore", "account", "guardduty", "securityhub", "config",
            "access-analyzer", "cloudformation", "logs", "s3", "ecr", "ecs", "eks", "glue", "sagemaker", "codebuild",
            "dynamodb", "rds", "route53", "acm-pca", "backup");

    static final RuleMetadata META = Meta.permission("SERVICE_WILDCARD", Severity.HIGH,
            "All actions of a service",
            "`service:*` grants every current and future action of the service, including its destructive and"
                    + " permissions-changing ones.",
            "List the actions the workload calls (IAM Access Advisor and CloudTrail show which ones are used).",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html")
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
        if (policy.kind() == PolicyKind.TRUST) {
            return;
        }
        for (Statement s : doc.statements()) {
            if (!s.isAllow() || !(s.actions() instanceof ActionSpec.Listed listed)) {
                continue;
            }
            if (policy.kind() == PolicyKind.RESOURCE && ResourceGrants.onlyOwnAccountRoot(s, ctx.ownAccount())) {
                continue; // kms:* to the own account root delegates to IAM: the key policy every key starts with
            }
            for (ActionPattern p : listed.patterns()) {
                if (p.opaque() || !p.name().equals("*") || p.service().contains("*") || p.service().contains("?")
                        || ctx.catalog().service(p.service()) == null || deniedOutright(doc, p.service())) {
                    continue;
                }
                Severity severity = SENSITIVE.contains(p.service()) ? Severity.HIGH : Severity.MEDIUM;
                Optional<String> lowered = s.resources() instanceof ResourceSpec.Listed r
                        && r.patterns().stream().noneMatch(ResourcePattern::isUnscoped)
                        ? Optional.of("limited to named resources") : Optional.empty();
                ctx.report(policy.source() + "#" + p.at().pointer(), severity, lowered, policy.source(), p.at(),
                        s.label() + " allows every action of `" + p.service() + "` (`" + p.raw() + "`)", List.of());
            }
        }
    }

    /** An unconditional Deny of the whole service on all resources in the same policy cancels the grant. */
    private static boolean deniedOutright(PolicyDocument doc, String service) {
        for (Statement s : doc.statements()) {
            if (s.isAllow() || !s.conditions().isEmpty() || !(s.actions() instanceof ActionSpec.Listed listed)
                    || !(s.resources() instanceof ResourceSpec.Listed r)
                    || r.patterns().stream().noneMatch(x -> x.value().equals("*"))) {
                continue;
            }
            for (ActionPattern p : listed.patterns()) {
                if (p.isEverything() || (p.service().equals(service) && p.name().equals("*"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
