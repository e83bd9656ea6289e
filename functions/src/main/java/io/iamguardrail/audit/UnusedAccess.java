package io.iamguardrail.audit;

import io.iamguardrail.catalog.Glob;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.policy.ActionPattern;
import io.iamguardrail.policy.ActionSpec;
import io.iamguardrail.policy.Statement;
import io.iamguardrail.remediation.ShellQuote;
import io.iamguardrail.rules.AuditRules;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Access nobody uses: roles not used for N days, and services (or tracked actions) granted but not used within N
 * days according to Access Advisor, each with the concrete policy change that removes it.
 */
final class UnusedAccess {

    private final int days;
    private final Instant cutoff;

    UnusedAccess(int days, Instant now) {
        this.days = days;
        this.cutoff = now.minus(Duration.ofDays(days));
    }

    /** A role last used before the cutoff, or never used and created before it. */
    Optional<Finding> unusedRole(AccountSnapshot.Role role) {
        if (role.lastUsed().isPresent()) {
            Instant last = role.lastUsed().get();
            if (!last.isBefore(cutoff)) {
                return Optional.empty();
            }
            return Optional.of(roleFinding(role, "role `" + role.name() + "` was last used on " + day(last)
                    + ", more than " + days + " days ago"));
        }
        if (role.created().isPresent() && role.created().get().isBefore(cutoff)) {
            return Optional.of(roleFinding(role, "role `" + role.name() + "` has no recorded use since it was created on "
                    + day(role.created().get()) + ", more than " + days + " days ago"));
        }
        return Optional.empty();
    }

    private Finding roleFinding(AccountSnapshot.Role role, String message) {
        String fix = "if nothing needs it, delete it: detach its " + role.attachedPolicyArns().size()
                + " managed policies, delete its " + role.inlinePolicies().size() + " inline policies and instance profiles, then `"
                + ShellQuote.command("aws", "iam", "delete-role", "--role-name", role.name()) + "`";
        return finding(AuditRules.UNUSED_ROLE, role.arn(), message, fix, role.arn());
    }

    /**
     * Services Access Advisor reports as allowed but not used within the window; for used services, the tracked
     * actions (action-level data) not used within it.
     */
    List<Finding> unusedServices(String principalLabel, String principalArn, List<AccessAdvisor.ServiceAccess> services,
                                 List<SourcedPolicy> permissions) {
        List<Finding> out = new ArrayList<>();
        Set<String> unused = new LinkedHashSet<>();
        for (AccessAdvisor.ServiceAccess s : services) {
            if (s.lastAuthenticated().isEmpty() || s.lastAuthenticated().get().isBefore(cutoff)) {
                unused.add(s.namespace().toLowerCase(Locale.ROOT));
            }
        }
        for (AccessAdvisor.ServiceAccess s : services) {
            String ns = s.namespace().toLowerCase(Locale.ROOT);
            if (unused.contains(ns)) {
                String when = s.lastAuthenticated().map(t -> "last used on " + day(t) + ", more than " + days + " days ago")
                        .orElse("never used in Access Advisor's tracking period");
                out.add(finding(AuditRules.UNUSED_SERVICE, ns,
                        principalLabel + " is allowed `" + ns + "` (" + s.name() + ") but it was " + when,
                        changes(ns, principalLabel, permissions, unused, services), principalArn));
                continue;
            }
            List<String> idle = new ArrayList<>();
            for (AccessAdvisor.ActionAccess a : s.trackedActions()) {
                if (a.lastAccessed().isEmpty() || a.lastAccessed().get().isBefore(cutoff)) {
                    idle.add(ns + ":" + a.action());
                }
            }
            if (!idle.isEmpty()) {
                out.add(finding(AuditRules.UNUSED_ACTIONS, ns,
                        principalLabel + " uses `" + ns + "` but not " + idle.size() + " of its tracked actions within "
                                + days + " days: " + code(idle),
                        "leave these actions out of the statements that grant `" + ns + "`: "
                                + String.join("; ", grantsOf(ns, principalLabel, permissions)), principalArn));
            }
        }
        return out;
    }

    /** The concrete change per policy that grants the service. */
    private String changes(String ns, String who, List<SourcedPolicy> permissions, Set<String> unused,
                           List<AccessAdvisor.ServiceAccess> services) {
        List<String> changes = new ArrayList<>();
        for (SourcedPolicy p : permissions) {
            Map<String, Boolean> patterns = patternsFor(ns, p);
            if (patterns.isEmpty()) {
                continue;
            }
            String where = place(p, who);
            if (p.origin() == SourcedPolicy.Origin.MANAGED && p.source().contains(":iam::aws:policy/")) {
                String arn = arnOf(p);
                // Detach only when every service Access Advisor lists that this policy grants is unused.
                boolean allUnused = services.stream().map(x -> x.namespace().toLowerCase(Locale.ROOT))
                        .filter(x -> !patternsFor(x, p).isEmpty()).allMatch(unused::contains);
                if (allUnused) {
                    changes.add("detach `" + arn + "` from " + who);
                } else {
                    changes.add("replace `" + arn + "` on " + who + " with a customer-managed policy without `" + ns
                            + "` (it also grants services in use)");
                }
            } else if (patterns.containsValue(Boolean.TRUE)) {
                changes.add("narrow the NotAction statement of " + where + " so that it no longer allows `" + ns + "`");
            } else {
                List<String> raws = new ArrayList<>(patterns.keySet());
                boolean everything = raws.stream().anyMatch(r -> r.equals("*") || r.startsWith("*"));
                changes.add(everything ? "replace " + code(raws) + " in " + where + " with the services in use"
                        : "remove " + code(raws) + " from " + where);
            }
        }
        if (changes.isEmpty()) {
            return "no policy statement names `" + ns + "`: it is granted through the policies' wildcards; list only the services in use";
        }
        return String.join("; ", changes);
    }

    private List<String> grantsOf(String ns, String who, List<SourcedPolicy> permissions) {
        List<String> out = new ArrayList<>();
        for (SourcedPolicy p : permissions) {
            Map<String, Boolean> patterns = patternsFor(ns, p);
            if (!patterns.isEmpty()) {
                out.add(code(new ArrayList<>(patterns.keySet())) + " in " + place(p, who));
            }
        }
        return out.isEmpty() ? List.of("the policies of " + who) : out;
    }

    /** The Allow patterns of the policy that match the service; the value is true for a NotAction statement. */
    private static Map<String, Boolean> patternsFor(String ns, SourcedPolicy p) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        if (p.document().isEmpty()) {
            return out;
        }
        for (Statement s : p.document().get().statements()) {
            if (!s.isAllow()) {
                continue;
            }
            if (s.actions() instanceof ActionSpec.Not not) {
                boolean excluded = not.patterns().stream().anyMatch(a -> a.service().equals(ns) && a.name().equals("*"));
                if (!excluded) {
                    out.put("NotAction", Boolean.TRUE);
                }
                continue;
            }
            for (ActionPattern a : s.actions().patterns()) {
                if (!a.opaque() && Glob.matches(a.service(), ns)) {
                    out.put(a.raw(), Boolean.FALSE);
                }
            }
        }
        return out;
    }

    private static String place(SourcedPolicy p, String who) {
        return switch (p.origin()) {
            case INLINE -> "inline policy `" + p.name() + "` of " + who;
            case GROUP -> "group policy `" + p.name() + "` (or remove " + who + " from that group)";
            case MANAGED -> "customer-managed policy `" + arnOf(p) + "` (a new default version; it may be attached elsewhere)";
            default -> "policy `" + p.name() + "`";
        };
    }

    private static String arnOf(SourcedPolicy p) {
        int space = p.source().indexOf(' ');
        return space < 0 ? p.source() : p.source().substring(0, space);
    }

    private static String code(List<String> items) {
        return String.join(", ", items.stream().map(i -> "`" + i + "`").toList());
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    /** A finding of an audit-only catalogue entry; {@code subject} tells it apart from the entry's other findings. */
    private static Finding finding(RuleMetadata rule, String subject, String message, String remediation,
                                   String principalArn) {
        return new Finding(rule.id(), rule.id() + "|" + subject, rule.severity(), rule.title(), message, remediation,
                principalArn, Optional.of(principalArn), SourceLocation.UNKNOWN, Optional.empty(), List.of());
    }
}
