package io.iamguardrail.rules;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.DocumentRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.ActionPattern;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.Statement;
import io.iamguardrail.policy.Suggest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An action whose service prefix is not a service of the catalogue. */
final class UnknownServiceRule implements DocumentRule {

    static final RuleMetadata META = Meta.permission("UNKNOWN_SERVICE", Severity.LOW,
            "Unknown service",
            "No AWS service has this prefix, so the statement does nothing for it: access is missing, or a Deny"
                    + " protects nothing.",
            "Correct the service prefix (see the suggestion); the Service Authorization Reference lists them.",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html")
            .with(RuleTrait.AWS_AUTHORED_NOISE);

    /** Retired services (deepracer, iot1click...) recur across policies: suggest once per prefix. */
    private final Map<String, Optional<String>> suggestions = new ConcurrentHashMap<>();

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        for (Statement s : doc.statements()) {
            List<ActionPattern> patterns = s.actions().patterns();
            ActionCatalog.Match[] matches = ctx.matches(s.actions());
            for (int k = 0; k < matches.length; k++) {
                ActionPattern p = patterns.get(k);
                if (p.opaque() || p.isEverything() || matches[k].knownService()) {
                    continue;
                }
                String best = p.hasWildcard() ? null : suggestions.computeIfAbsent(p.service(),
                        svc -> Optional.ofNullable(Suggest.closest(svc, ctx.catalog().servicePrefixes()))).orElse(null);
                String hint = best == null ? "" : "; did you mean `" + best + ":" + p.raw().substring(p.raw().indexOf(':') + 1) + "`?";
                ctx.report(policy.source() + "#" + p.at().pointer(), META.severity(), Optional.empty(), policy.source(),
                        p.at(), s.label() + " names `" + p.raw() + "`, but `" + p.service()
                                + "` is not a known service prefix" + hint, List.of());
            }
        }
    }
}
