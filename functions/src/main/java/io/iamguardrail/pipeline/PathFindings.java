package io.iamguardrail.pipeline;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.paths.Hop;
import io.iamguardrail.paths.PrivilegeGraph;
import io.iamguardrail.paths.PrivilegePath;
import io.iamguardrail.rules.AuditRules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A path to administrator access as a PRIVILEGE_PATH finding: the audit's and the evaluator's, in one place. */
public final class PathFindings {

    private PathFindings() {
    }

    /**
     * @param on   the principal the finding is reported on (the path's, or for an identity provider the role it signs in to)
     * @param note what the reader must know about how the path was found (a partial graph), or empty
     */
    public static Finding of(PrivilegePath p, String on, String note) {
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
        if (!note.isEmpty()) {
            message.append(" (").append(note).append(')');
        }
        Severity severity = p.severity();
        Optional<String> lowered = severity == AuditRules.PRIVILEGE_PATH.severity() ? Optional.empty()
                : Optional.of(p.potential() ? "a hop is only potential: it depends on what IAM does not show"
                + " (compute that holds the role, a principal's grant to assume it)"
                : "it ends at a principal with a critical finding, not administrator access");
        return new Finding(AuditRules.PRIVILEGE_PATH.id(), AuditRules.PRIVILEGE_PATH.id() + "|" + p.principal() + "|"
                + p.reaches(), severity, AuditRules.PRIVILEGE_PATH.title(), message.toString(),
                AuditRules.PRIVILEGE_PATH.remediation(), on, Optional.of(on), SourceLocation.UNKNOWN, lowered, related);
    }
}
