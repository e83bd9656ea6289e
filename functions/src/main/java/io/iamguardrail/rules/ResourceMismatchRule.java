package io.iamguardrail.rules;

import io.iamguardrail.catalog.Glob;
import io.iamguardrail.catalog.IamAction;
import io.iamguardrail.catalog.IamService;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.DocumentRule;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A named action none of whose resource types can match any resource of its statement, for example
 * {@code s3:GetObject} on a bucket ARN without {@code /*}. Only exact actions and concrete ARNs are judged: a
 * wildcard action or a {@code *} resource has some match by construction.
 */
final class ResourceMismatchRule implements DocumentRule {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}");

    static final RuleMetadata META = Meta.permission("RESOURCE_MISMATCH", Severity.MEDIUM,
            "Action cannot apply to the listed resources",
            "When no listed resource can be of a type the action works on, the statement grants nothing for that"
                    + " action; the author usually meant another ARN (an object ARN rather than the bucket's) and may"
                    + " widen it to `*` to make it work.",
            "Use the resource ARN format of the action (see the Service Authorization Reference), or move the action"
                    + " to a statement with matching resources.",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html")
            .with(RuleTrait.AWS_AUTHORED_NOISE);

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        if (policy.kind() == PolicyKind.TRUST) {
            return;
        }
        for (Statement s : doc.statements()) {
            if (!(s.actions() instanceof ActionSpec.Listed listed) || !(s.resources() instanceof ResourceSpec.Listed res)) {
                continue;
            }
            List<String> resources = new ArrayList<>();
            for (ResourcePattern r : res.patterns()) {
                if (r.opaque() || !r.value().startsWith("arn:") || r.value().contains("*:*")) {
                    resources = null; // computed or fully wild: some resource may match
                    break;
                }
                resources.add(VARIABLE.matcher(r.value()).replaceAll("*"));
            }
            if (resources == null || resources.isEmpty()) {
                continue;
            }
            for (ActionPattern p : listed.patterns()) {
                if (p.opaque() || p.hasWildcard()) {
                    continue;
                }
                IamAction action = ctx.catalog().find(p.key());
                // IAM's handling of an ARN pattern for an action without resource types is not documented; only a
                // concrete ARN for such an action is a sure mismatch.
                if (action == null || (action.resourceTypes().isEmpty() && resources.stream().anyMatch(r -> r.contains("*")))
                        || matchesSome(ctx, action, resources)) {
                    continue;
                }
                String expected = action.resourceTypes().isEmpty() ? "only `\"Resource\": \"*\"`"
                        : "resource types " + String.join(", ", action.resourceTypes());
                ctx.report(policy.source() + "#" + p.at().pointer(), META.severity(), Optional.empty(),
                        policy.source(), p.at(), s.label() + " grants `" + action.fullName() + "`, which supports "
                                + expected + ", but none of its resources can be one (`"
                                + res.patterns().get(0).value() + "`" + (res.patterns().size() > 1 ? ", ..." : "") + ")",
                        List.of());
            }
        }
    }

    private static boolean matchesSome(RuleContext ctx, IamAction action, List<String> resources) {
        if (action.resourceTypes().isEmpty()) {
            return false;
        }
        IamService service = ctx.catalog().service(action.service());
        for (String type : action.resourceTypes()) {
            String template = service.resourceArns().get(type);
            if (template == null) {
                return true; // a type the catalogue does not describe: do not guess
            }
            // Partition, region, account and bucket name never contain `/` or `:`: `arn:aws:s3:::b/*` is objects,
            // not a bucket, and cannot be an access point either.
            String segment = String.valueOf(Glob.SEGMENT);
            String glob = VARIABLE.matcher(template.replace("${Partition}", segment).replace("${Region}", segment)
                    .replace("${Account}", segment).replace("${BucketName}", segment))
                    .replaceAll("*").toLowerCase(Locale.ROOT);
            for (String r : resources) {
                if (Glob.intersects(glob, r.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
        }
        return false;
    }
}
