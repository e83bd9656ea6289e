package io.iamguardrail.rules;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.IamAction;
import io.iamguardrail.catalog.IamService;
import io.iamguardrail.engine.DocumentRule;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.Severity;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.ActionPattern;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.Statement;
import io.iamguardrail.policy.Suggest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An action (or wildcard) of a known service that matches no action of the catalogue: a typo, or a stale name. */
final class UnknownActionRule implements DocumentRule {

    static final RuleMetadata META = Meta.permission("UNKNOWN_ACTION", Severity.LOW,
            "Unknown action",
            "IAM ignores actions that do not exist: in an Allow the intended access is missing, in a Deny the intended"
                    + " protection is.",
            "Correct the action name (see the suggestion), or remove it.",
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html");

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
                    List<String> names = new ArrayList<>();
                    for (int i = service.firstAction(); i < service.endAction(); i++) {
                        IamAction a = ctx.catalog().action(i);
                        names.add(a.name());
                    }
                    String best = Suggest.closest(p.name(), names);
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
}
