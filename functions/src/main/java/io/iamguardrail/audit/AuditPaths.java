package io.iamguardrail.audit;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.paths.Hop;
import io.iamguardrail.paths.Member;
import io.iamguardrail.paths.PrivilegeGraph;
import io.iamguardrail.paths.PrivilegePath;
import io.iamguardrail.rules.AuditRules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
            List<Finding> judged = engine.judgement().about(List.of(finding(p, on)), List.of(on, p.principal()),
                    new ArrayList<>());
            if (!judged.isEmpty()) {
                Finding f = judged.get(0);
                kept.add(new PrivilegePath(p.principal(), p.reaches(), f.severity(), p.hops()));
                findings.computeIfAbsent(on, k -> new ArrayList<>()).add(f);
            }
        }
        return new Result(kept, findings);
    }

    static Finding finding(PrivilegePath p, String on) {
        String end = p.reaches().equals(PrivilegeGraph.ADMIN) ? "administrator access"
                : "`" + p.reaches() + "`, which has a critical finding";
        StringBuilder message = new StringBuilder("`" + p.principal() + "` ")
                .append(p.potential() ? "may reach " : "reaches ").append(end).append(" in ").append(p.hops().size())
                .append(p.hops().size() == 1 ? " hop: " : " hops: ");
        List<Finding.SourceRef> related = new ArrayList<>();
        for (int i = 0; i < p.hops().size(); i++) {
            Hop h = p.hops().get(i);
            message.append(i == 0 ? "" : "; then ").append(i + 1).append(". ").append(h.describe());
            related.add(new Finding.SourceRef(h.evidence().policy(), new SourceLocation(h.evidence().location(), 0, 0)));
            h.trust().ifPresent(t -> related.add(new Finding.SourceRef(t.policy(), new SourceLocation(t.location(), 0, 0))));
        }
        Severity severity = p.severity();
        Optional<String> lowered = severity == AuditRules.PRIVILEGE_PATH.severity() ? Optional.empty()
                : Optional.of(p.potential() ? "a hop is only potential: compute that holds the role may not run"
                : "it ends at a principal with a critical finding, not administrator access");
        return new Finding(AuditRules.PRIVILEGE_PATH.id(), AuditRules.PRIVILEGE_PATH.id() + "|" + p.principal() + "|"
                + p.reaches(), severity, AuditRules.PRIVILEGE_PATH.title(), message.toString(),
                AuditRules.PRIVILEGE_PATH.remediation(), on, Optional.of(on), SourceLocation.UNKNOWN, lowered, related);
    }
}
