package io.iamguardrail.rules;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.PermissionRule;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.RuleContext;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.policy.ActionPattern;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** An action the organisation forbids in its configuration ({@code forbiddenActions}) is allowed, on any resource. */
final class ForbiddenActionRule implements PermissionRule {

    static final RuleMetadata META = Meta.permission("FORBIDDEN_ACTION", Severity.HIGH,
            "Action forbidden by the organisation",
            "The configuration lists this action as one nobody in the account may be granted.",
            "Remove the action (or narrow the wildcard that includes it); if an exception is justified, add a scoped"
                    + " exemption with a reason and an expiry to the configuration.",
            Meta.IAM_BEST_PRACTICES);

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(Permissions p, Subject subject, RuleContext ctx) {
        for (String forbidden : ctx.config().forbiddenActions()) {
            int colon = forbidden.indexOf(':');
            String service = colon < 0 ? "*" : forbidden.substring(0, colon).toLowerCase(Locale.ROOT);
            String name = colon < 0 ? "*" : forbidden.substring(colon + 1).toLowerCase(Locale.ROOT);
            BitSet hit = (BitSet) ctx.catalog().expand(new ActionPattern(service, name, forbidden, false,
                    SourceLocation.UNKNOWN)).clone();
            hit.and(p.any());
            if (hit.isEmpty()) {
                continue;
            }
            int first = hit.nextSetBit(0);
            Permissions.Grant g = p.grantOf(first).orElseThrow();
            ctx.report(forbidden.toLowerCase(Locale.ROOT), META.severity(), Optional.empty(), g.policy().source(),
                    g.statement().actions().at(), Where.statement(g, subject) + " allows "
                            + Permissions.sample(ctx.catalog(), hit, 3) + ", forbidden by the configuration (`"
                            + forbidden + "`)", List.of());
        }
    }
}
