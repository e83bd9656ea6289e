package io.iamguardrail.cli;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.paths.Evidence;
import io.iamguardrail.paths.Member;
import io.iamguardrail.paths.PrivilegeGraph;
import io.iamguardrail.paths.PrivilegePath;
import io.iamguardrail.pipeline.PathFindings;
import io.iamguardrail.policy.Principal;
import io.iamguardrail.policy.PrincipalSpec;
import io.iamguardrail.policy.ResourcePattern;
import io.iamguardrail.policy.ResourceSpec;
import io.iamguardrail.policy.Statement;
import io.iamguardrail.rules.AuditRules;
import io.iamguardrail.template.TemplatePrincipals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code check --together}: the paths to administrator access among the principals the templates define (and the
 * principal the policy files make together), as PRIVILEGE_PATH findings located at the statement that grants the
 * first hop. The graph is the audit's; what a template leaves to deployment (a policy or principal given by a
 * parameter or an import) is outside it, and each finding says so.
 */
final class CheckPaths {

    /** The account the templates' principals are written in when {@code --account} does not name it. */
    static final String UNKNOWN_ACCOUNT = "000000000000";

    private record Defined(Member member, String label, String source, boolean namedAtDeployment) {
    }

    private CheckPaths() {
    }

    static Report of(Engine engine, List<Inputs.TemplateFile> templates, Optional<Subject> combined,
                     List<Report> reports) {
        List<Finding> kept = new ArrayList<>();
        List<Report.Suppressed> suppressed = new ArrayList<>();
        if (!engine.config().enabled(AuditRules.PRIVILEGE_PATH.id()) || templates.isEmpty()) {
            return new Report("paths", kept, suppressed, List.of(), List.of());
        }
        String account = engine.config().accountId().orElse(UNKNOWN_ACCOUNT);
        Map<String, Defined> nodes = new LinkedHashMap<>();
        List<String> partial = new ArrayList<>();
        for (Inputs.TemplateFile t : templates) {
            for (TemplatePrincipals.Principal p : TemplatePrincipals.read(t.root(), t.source(), account)) {
                Member.Kind kind = p.type() == Subject.Type.USER ? Member.Kind.USER
                        : p.type() == Subject.Type.GROUP ? Member.Kind.GROUP : Member.Kind.ROLE;
                Member m = new Member(p.arn(), p.arn().substring(p.arn().lastIndexOf('/') + 1), kind, p.subject(),
                        p.groupArns(), p.managedPolicyArns());
                String label = p.subject().principal().orElse(p.logicalId());
                if (nodes.putIfAbsent(p.arn(), new Defined(m, label, t.source(), p.namedAtDeployment())) != null) {
                    partial.add("`" + p.arn() + "` is defined twice: the first definition is in the graph");
                }
                unknowns(p.logicalId(), p.subject(), partial);
            }
        }
        combined.ifPresent(s -> nodes.put(s.source(), new Defined(new Member(s.source(), s.source(),
                s.trust().isPresent() ? Member.Kind.ROLE : Member.Kind.USER, s, List.of(), List.of()), s.source(), s.source(),
                false)));
        List<Member> members = nodes.values().stream().map(Defined::member).toList();
        PrivilegeGraph graph = PrivilegeGraph.build(engine.catalog(), engine.knowledge(), members);
        for (PrivilegePath p : graph.paths(critical(nodes, reports))) {
            Defined start = nodes.get(p.principal());
            Defined on = start != null ? start : nodes.get(p.hops().get(0).to());
            Finding f = located(PathFindings.of(p, on.label(), note(p, nodes, account, partial)), p, members);
            kept.addAll(engine.configure(List.of(f), List.of(on.member().arn(), on.member().name()), suppressed));
        }
        return new Report("paths", kept, suppressed, List.of(AuditRules.PRIVILEGE_PATH.id()), List.of());
    }

    /** The principals with a CRITICAL finding of their own: a path that ends there is reported too. */
    private static Set<String> critical(Map<String, Defined> nodes, List<Report> reports) {
        Set<String> out = new LinkedHashSet<>();
        for (Report r : reports) {
            for (Finding f : r.findings()) {
                if (f.severity() == Severity.CRITICAL && f.principal().isPresent()) {
                    nodes.values().stream().filter(n -> n.label().equals(f.principal().get()) && n.source().equals(f.source()))
                            .forEach(n -> out.add(n.member().arn()));
                }
            }
        }
        return out;
    }

    /** What deployment decides and the graph therefore does not hold: a policy or a trusted principal by reference. */
    private static void unknowns(String id, Subject s, List<String> partial) {
        for (SourcedPolicy p : s.all()) {
            if (p.origin() == SourcedPolicy.Origin.UNRESOLVED) {
                partial.add("`" + id + "` holds `" + p.name() + "`, known only at deployment: what it grants or denies is"
                        + " not in the graph");
            }
        }
        for (SourcedPolicy p : s.permissions()) {
            for (Statement st : p.document().map(d -> d.statements()).orElse(List.of())) {
                // A hop's grant on a resource only deployment names: the hop may exist and is not in the graph.
                if (st.isAllow() && st.resources() instanceof ResourceSpec.Listed listed
                        && listed.patterns().stream().anyMatch(ResourcePattern::opaque)) {
                    st.actions().patterns().stream().filter(a -> !a.opaque() && (a.isEverything()
                                    || a.key().startsWith("iam:") || a.key().startsWith("sts:"))).findFirst()
                            .ifPresent(a -> partial.add("`" + id + "` allows `" + a.raw() + "` on a resource known only"
                                    + " at deployment (" + st.label() + ")"));
                }
            }
        }
        for (Statement st : s.trust().flatMap(SourcedPolicy::document).map(d -> d.statements()).orElse(List.of())) {
            if (st.principals().orElse(null) instanceof PrincipalSpec.Listed listed
                    && listed.principals().stream().anyMatch(Principal::opaque)) {
                partial.add("the trust of `" + id + "` admits a principal known only at deployment");
            }
        }
    }

    private static String note(PrivilegePath p, Map<String, Defined> nodes, String account, List<String> partial) {
        List<String> parts = new ArrayList<>();
        parts.add("graph of the " + nodes.size() + " principals the files define");
        if (account.equals(UNKNOWN_ACCOUNT)) {
            parts.add("their account is written `" + UNKNOWN_ACCOUNT + "` (--account names it)");
        }
        Set<String> on = new LinkedHashSet<>();
        on.add(p.principal());
        p.hops().forEach(h -> on.add(h.to()));
        for (String arn : on) {
            Defined n = nodes.get(arn);
            if (n != null && n.namedAtDeployment()) {
                parts.add("`" + arn + "` is named at deployment: a name pattern may not match it");
            }
        }
        if (!partial.isEmpty()) {
            parts.add("partial: " + String.join("; ", partial.subList(0, Math.min(3, partial.size())))
                    + (partial.size() > 3 ? "; and " + (partial.size() - 3) + " more" : ""));
        }
        return String.join("; ", parts);
    }

    /**
     * The finding at the statement that grants the first hop, and each statement it cites (the hops' grants and
     * trusts), with their line and column in the file.
     */
    private static Finding located(Finding f, PrivilegePath p, List<Member> members) {
        Map<String, SourceLocation> statements = new LinkedHashMap<>();
        for (Member m : members) {
            for (SourcedPolicy policy : m.subject().all()) {
                for (Statement st : policy.document().map(d -> d.statements()).orElse(List.of())) {
                    statements.putIfAbsent(policy.source() + "#" + st.at().pointer(), st.at());
                }
            }
        }
        Evidence first = p.hops().get(0).evidence();
        SourceLocation at = statements.getOrDefault(first.policy() + "#" + first.location(),
                new SourceLocation(first.location(), 0, 0));
        List<Finding.SourceRef> related = f.related().stream().map(r -> new Finding.SourceRef(r.source(),
                statements.getOrDefault(r.source() + "#" + r.location().pointer(), r.location()))).toList();
        return new Finding(f.ruleId(), f.key(), f.severity(), f.title(), f.message(), f.remediation(), first.policy(),
                f.principal(), at, f.lowered(), related);
    }
}
