package io.iamguardrail.audit;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.paths.PrivilegePath;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report grouped by root cause: one fix per policy document (a managed policy, a principal's inline policy, a
 * role's trust policy), the distinct problems in it and every principal whose findings it clears, ranked by the
 * risk the fix removes. The same problem in a managed policy attached to a group is a finding on the policy, on the
 * group and on each of its users; here it is one problem whose fix clears all of them. A finding that no document
 * carries (an unused role) is its principal's own fix; a path to administrator access is the fix of the policy that
 * grants its first hop.
 *
 * @param fixes          worst first (the sum of the weights of the findings each clears)
 * @param findings       findings in the report, as counted per principal
 * @param criticalOrHigh of those, the CRITICAL and HIGH ones
 */
public record RootCauses(List<Fix> fixes, int findings, int criticalOrHigh) {

    /** How many fixes the first screen puts first. */
    public static final int TOP = 5;

    private static final Pattern MANAGED = Pattern.compile("(arn:aws[a-z-]*:iam::(?:\\d{12}|aws):policy/\\S+?)(?: v\\d+)?");
    private static final Pattern INLINE = Pattern.compile("(role|user|group) (\\S+) inline policy (\\S+)");
    private static final Pattern TRUST = Pattern.compile("role (\\S+) trust policy");

    public RootCauses {
        fixes = List.copyOf(fixes);
    }

    /** What a fix edits: how the operator goes about it differs. */
    public enum Document {
        /** A customer managed policy: edit its default version, every principal it is attached to is cleared. */
        MANAGED_POLICY,
        /** An AWS managed policy: AWS owns the document, so detach it or replace it with a scoped one. */
        AWS_MANAGED_POLICY,
        INLINE_POLICY,
        TRUST_POLICY,
        /** No document: the principal itself (unused, or a path whose grant could not be told). */
        PRINCIPAL;

        public String action() {
            return switch (this) {
                case MANAGED_POLICY -> "edit the policy's default version";
                case AWS_MANAGED_POLICY -> "detach it or replace it with a scoped customer managed policy";
                case INLINE_POLICY -> "edit the inline policy";
                case TRUST_POLICY -> "edit the role's trust policy";
                case PRINCIPAL -> "review the principal";
            };
        }
    }

    /**
     * One fix.
     *
     * @param id       the document: a managed policy's ARN, {@code role NAME inline policy NAME},
     *                 {@code role NAME trust policy}, or the principal's ARN
     * @param label    how to call it: the policy name, {@code NAME (inline, role NAME)}, ...
     * @param owner    the principal that embeds the document (inline and trust policies), when it is in the report
     * @param clears   the principals (and the customer managed policy itself) whose findings it clears, worst first
     */
    public record Fix(String id, Document document, String label, Optional<String> owner, List<Problem> problems,
                      List<String> clears, int findings, int criticalOrHigh, long score) {
        public Fix {
            problems = List.copyOf(problems);
            clears = List.copyOf(clears);
        }

        /** The ARN whose console page edits the document: the managed policy, else the owning principal. */
        public Optional<String> consoleArn() {
            return document == Document.MANAGED_POLICY || document == Document.AWS_MANAGED_POLICY
                    || document == Document.PRINCIPAL ? Optional.of(id) : owner;
        }

        public Severity worst() {
            return problems.get(0).severity();
        }
    }

    /**
     * One distinct problem: the same rule about the same thing in the same document, however many principals have it.
     * The first fingerprint is the finding whose words it takes (the document's own, when the document is audited).
     */
    public record Problem(String ruleId, Severity severity, String message, String remediation, List<String> fingerprints) {
        public Problem {
            fingerprints = List.copyOf(fingerprints);
        }
    }

    public static RootCauses of(AuditReport r) {
        Map<String, String> arnsByKindAndName = new HashMap<>();
        for (AuditReport.PrincipalResult p : r.principals()) {
            arnsByKindAndName.put(p.kind().name() + " " + p.name(), p.arn());
        }
        Map<String, PrivilegePath> paths = new HashMap<>();
        r.paths().forEach(p -> paths.putIfAbsent(p.principal(), p));
        Map<String, Builder> byDocument = new LinkedHashMap<>();
        int findings = 0;
        int criticalOrHigh = 0;
        for (AuditReport.PrincipalResult p : r.principals()) {
            for (AuditReport.Item i : p.findings()) {
                Finding f = i.finding();
                String source = f.source();
                String problemKey = f.key();
                if (f.ruleId().equals("PRIVILEGE_PATH")) {
                    PrivilegePath path = paths.get(p.arn());
                    if (path == null) {
                        path = r.paths().stream().filter(x -> x.hops().get(0).to().equals(p.arn())).findFirst().orElse(null);
                    }
                    if (path != null) {
                        // The first hop's grant is what to remove: every principal it lets in is one problem.
                        source = path.hops().get(0).evidence().policy();
                        problemKey = f.ruleId() + "|" + source + "|" + path.hops().get(0).evidence().location()
                                + "|" + path.hops().get(0).method();
                    }
                }
                DocumentRef ref = document(source, p, arnsByKindAndName);
                Builder b = byDocument.computeIfAbsent(ref.id(), k -> new Builder(ref));
                b.add(p, i, problemKey);
                findings++;
                if (f.severity().atLeast(Severity.HIGH)) {
                    criticalOrHigh++;
                }
            }
        }
        List<Fix> fixes = byDocument.values().stream().map(Builder::build)
                .sorted(Comparator.comparingLong(Fix::score).reversed().thenComparing(Fix::id)).toList();
        return new RootCauses(fixes, findings, criticalOrHigh);
    }

    /** Each finding's fix, by the finding's fingerprint. */
    public Map<String, Fix> byFingerprint() {
        Map<String, Fix> out = new HashMap<>();
        fixes.forEach(f -> f.problems().forEach(x -> x.fingerprints().forEach(fp -> out.putIfAbsent(fp, f))));
        return out;
    }

    /** The distinct problems: one per rule and subject in each document. */
    public int problems() {
        return fixes.stream().mapToInt(f -> f.problems().size()).sum();
    }

    /** The documents with problems (not counting principals without one). */
    public int documents() {
        return (int) fixes.stream().filter(f -> f.document() != Document.PRINCIPAL).count();
    }

    /** The first {@link #TOP} fixes (fewer when there are fewer). */
    public List<Fix> top() {
        return fixes.subList(0, Math.min(TOP, fixes.size()));
    }

    /** The CRITICAL and HIGH findings the first {@link #TOP} fixes clear. */
    public int criticalOrHighClearedByTop() {
        return top().stream().mapToInt(Fix::criticalOrHigh).sum();
    }

    /** "9 problems in 4 policies; fixing the top 3 clears 20 of 24 CRITICAL/HIGH findings". */
    public String headline() {
        String head = problems() + " problem" + (problems() == 1 ? "" : "s") + " in " + documents() + " polic"
                + (documents() == 1 ? "y" : "ies") + (fixes.size() > documents() ? " and " + (fixes.size() - documents())
                + " principal" + (fixes.size() - documents() == 1 ? "" : "s") : "");
        if (criticalOrHigh == 0) {
            return head + "; no CRITICAL/HIGH findings";
        }
        return head + "; fixing the top " + top().size() + " clears " + criticalOrHighClearedByTop() + " of "
                + criticalOrHigh + " CRITICAL/HIGH findings";
    }

    private static DocumentRef document(String source, AuditReport.PrincipalResult p, Map<String, String> arns) {
        Matcher m = MANAGED.matcher(source);
        if (m.matches()) {
            String arn = m.group(1);
            return new DocumentRef(arn, arn.contains(":iam::aws:policy/") ? Document.AWS_MANAGED_POLICY
                    : Document.MANAGED_POLICY, arn.substring(arn.lastIndexOf('/') + 1), Optional.empty());
        }
        m = INLINE.matcher(source);
        if (m.matches()) {
            Optional<String> owner = Optional.ofNullable(arns.get(m.group(1).toUpperCase(Locale.ROOT) + " " + m.group(2)));
            return new DocumentRef(source, Document.INLINE_POLICY, m.group(3) + " (inline, " + m.group(1) + " "
                    + m.group(2) + ")", owner);
        }
        m = TRUST.matcher(source);
        if (m.matches()) {
            return new DocumentRef(source, Document.TRUST_POLICY, "trust policy of role " + m.group(1),
                    Optional.ofNullable(arns.get("ROLE " + m.group(1))));
        }
        return new DocumentRef(p.arn(), Document.PRINCIPAL, p.kind().name().toLowerCase(Locale.ROOT) + " "
                + p.name(), Optional.of(p.arn()));
    }

    private record DocumentRef(String id, Document document, String label, Optional<String> owner) {
    }

    private static final class Builder {
        private final DocumentRef ref;
        private final Map<String, List<AuditReport.Item>> problems = new LinkedHashMap<>();
        private final Set<String> clears = new LinkedHashSet<>();
        private int findings;
        private int criticalOrHigh;
        private long score;

        Builder(DocumentRef ref) {
            this.ref = ref;
        }

        void add(AuditReport.PrincipalResult p, AuditReport.Item i, String problemKey) {
            problems.computeIfAbsent(i.finding().ruleId() + "|" + problemKey, k -> new ArrayList<>()).add(i);
            clears.add(p.arn());
            findings++;
            if (i.finding().severity().atLeast(Severity.HIGH)) {
                criticalOrHigh++;
            }
            score += AuditReport.weight(i.finding().severity());
        }

        Fix build() {
            List<Problem> out = new ArrayList<>();
            for (List<AuditReport.Item> items : problems.values()) {
                // The message as the document's own entry words it when there is one (no "of `policy`" suffix).
                AuditReport.Item first = items.stream().filter(i -> i.fingerprint().startsWith(ref.id() + "|"))
                        .findFirst().orElse(items.get(0));
                Severity worst = items.stream().map(i -> i.finding().severity()).min(Enum::compareTo).orElseThrow();
                List<String> fingerprints = new ArrayList<>();
                fingerprints.add(first.fingerprint());
                items.stream().filter(i -> i != first).forEach(i -> fingerprints.add(i.fingerprint()));
                out.add(new Problem(first.finding().ruleId(), worst, first.finding().message(),
                        first.finding().remediation(), fingerprints));
            }
            out.sort(Comparator.comparing(Problem::severity).thenComparing(Problem::ruleId));
            return new Fix(ref.id(), ref.document(), ref.label(), ref.owner(), out, List.copyOf(clears), findings,
                    criticalOrHigh, score);
        }
    }
}
