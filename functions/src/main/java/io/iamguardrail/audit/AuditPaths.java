package io.iamguardrail.audit;

import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.paths.Member;
import io.iamguardrail.pipeline.PathFindings;
import io.iamguardrail.paths.PrivilegeGraph;
import io.iamguardrail.paths.PrivilegePath;
import io.iamguardrail.rules.AuditRules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit's paths to administrator access: the account's privilege graph, one PRIVILEGE_PATH finding per
 * principal that reaches administrator access (or a principal with a CRITICAL finding), judged by the same
 * configuration as every finding (off, exempted, overridden), and the paths whose finding was kept.
 */
final class AuditPaths {

    /** The paths kept, and each kept finding by the principal it is reported on. */
    record Result(List<PrivilegePath> paths, Map<String, List<Finding>> findings) {
    }

    private AuditPaths() {
    }

    /**
     * @param critical the principals with a CRITICAL finding of their own: a path that ends there is HIGH
     * @param reported the principals the report has an entry for: an identity provider's path is reported on the
     *                 role it signs in to
     */
    static Result of(Engine engine, List<Member> members, Set<String> critical, Set<String> reported) {
        if (!engine.config().enabled(AuditRules.PRIVILEGE_PATH.id())) {
            return new Result(List.of(), Map.of());
        }
        PrivilegeGraph graph = PrivilegeGraph.build(engine.catalog(), engine.knowledge(), members);
        List<PrivilegePath> kept = new ArrayList<>();
        Map<String, List<Finding>> findings = new LinkedHashMap<>();
        for (PrivilegePath p : graph.paths(critical)) {
            String on = reported.contains(p.principal()) ? p.principal() : p.hops().get(0).to();
            List<Finding> judged = engine.judgement().about(List.of(PathFindings.of(p, on, "")), List.of(on, p.principal()),
                    new ArrayList<>());
            if (!judged.isEmpty()) {
                Finding f = judged.get(0);
                kept.add(new PrivilegePath(p.principal(), p.reaches(), f.severity(), p.hops()));
                findings.computeIfAbsent(on, k -> new ArrayList<>()).add(f);
            }
        }
        return new Result(kept, findings);
    }
}
