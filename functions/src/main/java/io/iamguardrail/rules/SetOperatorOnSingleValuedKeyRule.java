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
import java.util.Set;

/**
 * ForAllValues or ForAnyValue on a single-valued key. ForAllValues is true when the key is absent, so an Allow
 * guarded by it is granted to requests that carry no such key at all.
 */
final class SetOperatorOnSingleValuedKeyRule implements DocumentRule {

    /** Global keys that hold one value per request (IAM User Guide, global condition context keys). */
    static final Set<String> SINGLE_VALUED = Set.of("aws:sourceip", "aws:sourcevpc", "aws:sourcevpce",
            "aws:vpcsourceip", "aws:principalarn", "aws:principalaccount", "aws:principalorgid", "aws:principaltype",
            "aws:requestedregion", "aws:securetransport", "aws:multifactorauthpresent", "aws:multifactorauthage",
            "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:resourceaccount", "aws:resourceorgid",
            "aws:username", "aws:userid", "aws:currenttime", "aws:epochtime", "aws:calledviafirst",
            "aws:calledvialast", "aws:viaawsservice", "aws:principalisawsservice", "aws:principalservicename",
            "aws:federatedprovider", "aws:tokenissuetime", "aws:sourceidentity", "aws:useragent", "aws:referer",
            "aws:ec2instancesourcevpc", "aws:ec2instancesourceprivateipv4");
    private static final List<String> SINGLE_VALUED_PREFIXES = List.of("aws:principaltag/", "aws:resourcetag/",
            "aws:requesttag/");

    static final RuleMetadata META = Meta.permission("SET_OPERATOR_ON_SINGLE_VALUED_KEY", Severity.MEDIUM,
            "Set operator on a single-valued condition key",
            "ForAllValues evaluates to true when the key is missing from the request, so the condition that looks"
                    + " restrictive lets requests without the key through; ForAnyValue on a single value is at best"
                    + " misleading.",
            "Use the plain operator (StringEquals, IpAddress...) for single-valued keys; keep ForAllValues and"
                    + " ForAnyValue for multivalued keys such as aws:TagKeys, and add a Null check where absence matters.",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html")
            .with(RuleTrait.AWS_AUTHORED_NOISE);

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public void check(SourcedPolicy policy, PolicyDocument doc, Subject subject, RuleContext ctx) {
        for (Statement s : doc.statements()) {
            for (Condition c : s.conditions()) {
                if (c.setOperator() == Condition.SetOperator.NONE || !isSingleValued(c.keyLower())) {
                    continue;
                }
                boolean all = c.setOperator() == Condition.SetOperator.FOR_ALL_VALUES;
                String consequence = all
                        ? (s.isAllow() ? ", so requests without the key are allowed" : ", which matches requests without the key")
                        : "; the plain operator means the same";
                ctx.report(policy.source() + "#" + c.at().pointer(), all ? META.severity() : Severity.LOW,
                        Optional.empty(), policy.source(), c.at(), s.label() + " uses `" + c.written()
                                + "` on `" + c.key() + "`, which has a single value" + consequence, List.of());
            }
        }
    }

    static boolean isSingleValued(String keyLower) {
        if (SINGLE_VALUED.contains(keyLower)) {
            return true;
        }
        for (String prefix : SINGLE_VALUED_PREFIXES) {
            if (keyLower.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
