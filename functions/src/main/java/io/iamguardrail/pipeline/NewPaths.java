package io.iamguardrail.pipeline;

import io.iamguardrail.change.IamChange;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.paths.Member;
import io.iamguardrail.paths.PrivilegeGraph;
import io.iamguardrail.paths.PrivilegePath;
import io.iamguardrail.policy.Principal;
import io.iamguardrail.policy.PrincipalSpec;
import io.iamguardrail.policy.ResourcePattern;
import io.iamguardrail.policy.ResourceSpec;
import io.iamguardrail.policy.Statement;
import io.iamguardrail.state.LookupFailed;
import io.iamguardrail.state.PrincipalRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a change to a principal's permissions, trust or boundary opens a path to administrator access that was
 * not there: the privilege graph of the changed principal and its neighbours (the principals its policies name,
 * the principals its trust names), read live within a bounded number of lookups, with the change and without it.
 * Without it means without the changed document (the trust, the inline or attached policy); where that cannot be
 * told (a new role, a boundary), every path through the principal is new. The finding says what the graph left out.
 */
final class NewPaths {

    /** At most this many neighbours are read per event: each is a lookup (and one per group of a user). */
    static final int MAX_NEIGHBOURS = 10;

    private NewPaths() {
    }

    static void check(LiveReading read, Subject subject) {
        if (subject.type() == Subject.Type.GROUP) {
            GroupPaths.changed(read, subject);
            return;
        }
        check(read, subject, without(subject, read.change).map(b -> withoutOthers(b, read)), List.of());
    }

    /**
     * The principal before the batch: also without the documents and groups the batch's other events gave it. IAM
     * is read after all of them; left in, two changes that each open the same path would hide it from each other.
     */
    static Subject withoutOthers(Subject s, LiveReading read) {
        Subject out = s;
        for (IamChange other : read.others) {
            Optional<PrincipalRef> to = other.principal();
            if (to.isEmpty() || !names(out, to.get())) {
                continue;
            }
            if (other instanceof IamChange.GroupMembership m && !m.removed()) {
                String lent = m.group() + "/";
                Subject from = out;
                out = new Subject(from.source(), from.principal(), from.type(), from.trust(), from.permissions().stream()
                        .filter(p -> !(p.origin() == SourcedPolicy.Origin.GROUP && p.name().startsWith(lent))).toList(),
                        from.boundary());
            } else {
                out = without(out, other).orElse(out);
            }
        }
        return out;
    }

    private static boolean names(Subject s, PrincipalRef ref) {
        boolean kind = switch (ref.kind()) {
            case ROLE -> s.type() == Subject.Type.ROLE;
            case USER -> s.type() == Subject.Type.USER;
            case GROUP -> s.type() == Subject.Type.GROUP;
        };
        return kind && s.principal().map(a -> a.endsWith("/" + ref.name())).orElse(false);
    }

    /**
     * @param before the principal before the change, when the event tells (else every path through it is new)
     * @param known  what is already known to be left out of the graph
     */
    static void check(LiveReading read, Subject subject, Optional<Subject> before, List<String> known) {
        Optional<String> arn = subject.principal().filter(a -> a.startsWith("arn:"));
        Optional<Member.Kind> kind = switch (subject.type()) {
            case ROLE -> Optional.of(Member.Kind.ROLE);
            case USER -> Optional.of(Member.Kind.USER);
            default -> Optional.empty();
        };
        if (arn.isEmpty() || kind.isEmpty()) {
            return;
        }
        String account = accountOf(arn.get());
        List<String> left = new ArrayList<>(known);
        Map<String, Member> neighbours = new LinkedHashMap<>();
        for (String named : named(subject, account, left)) {
            if (named.equals(arn.get())) {
                continue;
            }
            if (neighbours.size() >= MAX_NEIGHBOURS) {
                left.add("more than " + MAX_NEIGHBOURS + " principals are named: only the first were read");
                break;
            }
            refOf(named).ifPresent(ref -> {
                try {
                    // By its live ARN, never as a policy writes it: a path (`role/x/admin` for `role/admin`) in a
                    // policy's text neither makes a hop IAM would refuse nor names the finding after an exempt ARN.
                    Subject live = read.live(ref, Overrides.NONE);
                    String liveArn = live.principal().orElse(named);
                    if (!liveArn.equals(arn.get())) {
                        neighbours.putIfAbsent(liveArn, member(liveArn, live));
                    }
                } catch (LookupFailed failed) {
                    left.add(ref + " could not be read (" + failed.getMessage() + ")");
                }
            });
        }
        List<Member> after = new ArrayList<>(neighbours.values());
        after.add(member(arn.get(), subject));
        PrivilegeGraph graph = graph(read, after);
        String note = "graph of " + (neighbours.size() + 1) + " principals: the changed one and those it names or that"
                + " name it" + (left.isEmpty() ? "" : "; partial: " + String.join("; ", left));
        List<Finding> found = new ArrayList<>(OpenTrusts.entries(graph, arn.get(), subject, before, note));
        if (neighbours.isEmpty() && found.isEmpty()) {
            return; // nobody else is named: the rules on the principal alone have judged it
        }
        List<Member> earlier = new ArrayList<>(neighbours.values());
        before.ifPresent(s -> earlier.add(member(arn.get(), s)));
        Set<String> existed = new LinkedHashSet<>();
        if (before.isPresent()) {
            graph(read, earlier).paths(List.of()).forEach(p -> existed.add(p.principal() + "|" + p.reaches()));
        }
        for (PrivilegePath p : graph.paths(List.of())) {
            boolean through = p.principal().equals(arn.get())
                    || p.hops().stream().anyMatch(h -> h.from().equals(arn.get()) || h.to().equals(arn.get()));
            if (through && !existed.contains(p.principal() + "|" + p.reaches()) && p.principal().startsWith("arn:aws:iam::")) {
                found.add(PathFindings.of(p, p.principal(), "opened by this change; " + note));
            }
        }
        for (Finding f : found) {
            String who = f.principal().orElseThrow();
            read.evidence.findings.addAll(read.engine.configure(List.of(f),
                    List.of(who, who.substring(who.lastIndexOf('/') + 1)), read.evidence.suppressed));
        }
    }

    private static PrivilegeGraph graph(LiveReading read, List<Member> members) {
        return PrivilegeGraph.build(read.engine.catalog(), read.engine.knowledge(), members);
    }

    /** The principal before the change, as far as the event tells: without the document it changed. */
    static Optional<Subject> without(Subject s, IamChange change) {
        if (change instanceof IamChange.TrustUpdated) {
            return Optional.of(new Subject(s.source(), s.principal(), s.type(), Optional.empty(), s.permissions(), s.boundary()));
        }
        if (change instanceof IamChange.InlinePolicyPut c) {
            // A group's inline policy reaches its members under `group/policy`.
            boolean ofGroup = c.to().kind() == PrincipalRef.Kind.GROUP;
            String name = ofGroup ? c.to().name() + "/" + c.policyName() : c.policyName();
            SourcedPolicy.Origin origin = ofGroup ? SourcedPolicy.Origin.GROUP : SourcedPolicy.Origin.INLINE;
            return Optional.of(new Subject(s.source(), s.principal(), s.type(), s.trust(), s.permissions().stream()
                    .filter(p -> !(p.origin() == origin && p.name().equals(name))).toList(), s.boundary()));
        }
        if (change instanceof IamChange.PolicyAttached c) {
            return Optional.of(new Subject(s.source(), s.principal(), s.type(), s.trust(), s.permissions().stream()
                    .filter(p -> !p.source().startsWith(c.policyArn())).toList(), s.boundary()));
        }
        return Optional.empty();
    }

    /**
     * The roles and users of the account the principal's documents name: in its trust (who may assume it) and in the
     * resources of its Allow statements (whom it may assume, pass, modify or take credentials of). A pattern names
     * principals the graph cannot list: it is noted as left out.
     */
    static List<String> named(Subject s, String account, List<String> left) {
        Set<String> out = new LinkedHashSet<>();
        s.trust().flatMap(SourcedPolicy::document).ifPresent(doc -> {
            for (Statement st : doc.statements()) {
                if (st.isAllow() && st.principals().orElse(null) instanceof PrincipalSpec.Listed listed) {
                    for (Principal p : listed.principals()) {
                        if (p.type() == Principal.Type.AWS && !p.opaque() && isPrincipal(p.value(), account)) {
                            out.add(p.value());
                        } else if (p.type() == Principal.Type.AWS && (p.isAccountRoot() || p.isEveryone())) {
                            left.add("the trust admits `" + p.value() + "`: principals it admits are not listed");
                        }
                    }
                }
            }
        });
        for (SourcedPolicy policy : s.permissions()) {
            for (Statement st : policy.document().map(d -> d.statements()).orElse(List.of())) {
                if (!st.isAllow() || !(st.resources() instanceof ResourceSpec.Listed listed)) {
                    continue;
                }
                for (ResourcePattern r : listed.patterns()) {
                    if (r.opaque()) {
                        continue;
                    }
                    String v = r.value();
                    if (isPrincipal(v, account) && v.indexOf('*') < 0 && v.indexOf('?') < 0 && !v.contains("${")) {
                        out.add(v);
                    } else if (v.contains(":role/") || v.contains(":user/") || v.equals("*")) {
                        left.add("`" + v + "` in " + policy.name() + " is a pattern: the principals it matches are not listed");
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static boolean isPrincipal(String arn, String account) {
        return arn.startsWith("arn:aws:iam::" + account + ":role/") || arn.startsWith("arn:aws:iam::" + account + ":user/");
    }

    private static Optional<PrincipalRef> refOf(String arn) {
        String name = arn.substring(arn.lastIndexOf('/') + 1);
        return arn.contains(":role/") ? Optional.of(new PrincipalRef(PrincipalRef.Kind.ROLE, name))
                : arn.contains(":user/") ? Optional.of(new PrincipalRef(PrincipalRef.Kind.USER, name)) : Optional.empty();
    }

    static Member member(String arn, Subject s) {
        Member.Kind kind = s.type() == Subject.Type.USER ? Member.Kind.USER : Member.Kind.ROLE;
        return new Member(arn, arn.substring(arn.lastIndexOf('/') + 1), kind, s, List.of(), List.of());
    }

    private static String accountOf(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length == 6 ? parts[4] : "";
    }
}
