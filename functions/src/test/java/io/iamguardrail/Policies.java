package io.iamguardrail;

import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.rules.Rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Test shorthand: evaluate policy JSON the way `check` does. */
public final class Policies {

    private static final Engine ENGINE = Rules.engine().build();

    private Policies() {
    }

    public static Engine engine() {
        return ENGINE;
    }

    public static SourcedPolicy policy(String name, String json) {
        return new SourcedPolicy(name, name, SourcedPolicy.Origin.STANDALONE, PolicyParser.parse(json, (PolicyKind) null));
    }

    public static Report check(String json) {
        return ENGINE.evaluate(Subject.of(policy("policy.json", json)));
    }

    public static Report check(Engine engine, String json) {
        return engine.evaluate(Subject.of(policy("policy.json", json)));
    }

    /** Several identity policies of one principal, evaluated together. */
    public static Report together(String... jsons) {
        List<SourcedPolicy> list = new ArrayList<>();
        for (int i = 0; i < jsons.length; i++) {
            list.add(policy("p" + (i + 1) + ".json", jsons[i]));
        }
        return ENGINE.evaluate(new Subject("principal", Optional.of("role/app"), Subject.Type.ROLE, Optional.empty(),
                list, Optional.empty()));
    }

    public static Set<String> ruleIds(Report report) {
        Set<String> ids = new TreeSet<>();
        for (Finding f : report.findings()) {
            ids.add(f.ruleId());
        }
        return ids;
    }

    public static List<Finding> findings(Report report, String ruleId) {
        return report.findings().stream().filter(f -> f.ruleId().equals(ruleId)).toList();
    }
}
