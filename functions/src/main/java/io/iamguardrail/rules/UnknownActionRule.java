package io.iamguardrail.rules;

import io.iamguardrail.catalog.ActionCatalog;
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
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.Statement;
import io.iamguardrail.policy.Suggest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An action (or wildcard) of a known service that matches no action of the catalogue: a typo, or a stale name. */
final class UnknownActionRule implements DocumentRule {

    static final RuleMetadata META = Meta.permission("UNKNOWN_ACTION", Severity.LOW,
            "Unknown action",
            "IAM ignores actions that do not exist: in an Allow the intended access is missing, in a Deny the intended"
                    + " protection is.",
            "Correct the action name (see the suggestion), or remove it.",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html")
            .with(RuleTrait.AWS_AUTHORED_NOISE);

    /**
     * The same stale names recur across policies (managed policies still name retired actions): the closest
     * name, a distance to every action of the service, is computed once per name. Bounded for a long-lived Lambda.
     */
    private final Map<String, Optional<String>> suggestions = new ConcurrentHashMap<>();
    private static final int SUGGESTIONS_KEPT = 10_000;

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
                if (p.opaque() || p.isEverything()) {
                    continue;
                }
                ActionCatalog.Match match = matches[k];
                if (!match.knownService() || !match.isEmpty()) {
                    continue;
                }
                String hint = "";
                IamService service = ctx.catalog().service(p.service());
                if (!p.hasWildcard() && service != null) {
                    String best = suggestion(ctx, service, p.name());
                    if (best != null) {
                        hint = "; did you mean `" + service.prefix() + ":" + best + "`?";
                    }
                }
                String effect = s.isAllow() ? "" : " (so this Deny does not protect against it)";
                ctx.report(policy.source() + "#" + p.at().pointer(), META.severity(), Optional.empty(), policy.source(),
                        p.at(), s.label() + " names `" + p.raw() + "`, which matches no known action of `"
                                + p.service() + "`" + effect + hint, List.of());
            }
        }
    }

    private String suggestion(RuleContext ctx, IamService service, String name) {
        String key = service.prefix() + ":" + name;
        Optional<String> known = suggestions.get(key);
        if (known == null) {
            List<String> names = new ArrayList<>();
            for (int i = service.firstAction(); i < service.endAction(); i++) {
                IamAction a = ctx.catalog().action(i);
                names.add(a.name());
            }
            known = Optional.ofNullable(Suggest.closest(name, names));
            if (suggestions.size() < SUGGESTIONS_KEPT) {
                suggestions.put(key, known);
            }
        }
        return known.orElse(null);
    }
}
