package io.iamguardrail.audit;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.paths.PrivilegePath;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of one sweep of an account: every principal with findings (worst first), the clean ones by ARN, each
 * finding marked new or known (seen in the previous report), what was resolved since, and notes on what could not
 * be checked.
 *
 * @param unusedDays the unused-access window in days
 * @param previous   when the report compared against was made, if there was one
 * @param paths      the shortest paths to administrator access across principals whose PRIVILEGE_PATH finding was kept
 * @param exemptions the configuration's exemptions in force when the report was made (not expired)
 */
public record AuditReport(Instant generatedAt, Optional<String> accountId, int unusedDays, int principalsScanned,
                          List<PrincipalResult> principals, List<String> cleanPrincipals, List<Resolved> resolved,
                          Optional<Instant> previous, boolean accessAdvisorUsed, List<String> notes,
                          List<PrivilegePath> paths, List<GuardrailConfig.Exemption> exemptions) {

    public static final String SCHEMA = "iam-guardrail/audit/1";

    public AuditReport {
        principals = principals.stream().sorted(Comparator.comparingLong(PrincipalResult::score).reversed()
                .thenComparing(PrincipalResult::arn)).toList();
        cleanPrincipals = List.copyOf(cleanPrincipals);
        resolved = List.copyOf(resolved);
        notes = List.copyOf(notes);
        paths = List.copyOf(paths);
        exemptions = List.copyOf(exemptions);
    }

    /** A report without exemptions in force. */
    public AuditReport(Instant generatedAt, Optional<String> accountId, int unusedDays, int principalsScanned,
                       List<PrincipalResult> principals, List<String> cleanPrincipals, List<Resolved> resolved,
                       Optional<Instant> previous, boolean accessAdvisorUsed, List<String> notes,
                       List<PrivilegePath> paths) {
        this(generatedAt, accountId, unusedDays, principalsScanned, principals, cleanPrincipals, resolved, previous,
                accessAdvisorUsed, notes, paths, List.of());
    }

    /** A report without paths to administrator access (none found, or not computed). */
    public AuditReport(Instant generatedAt, Optional<String> accountId, int unusedDays, int principalsScanned,
                       List<PrincipalResult> principals, List<String> cleanPrincipals, List<Resolved> resolved,
                       Optional<Instant> previous, boolean accessAdvisorUsed, List<String> notes) {
        this(generatedAt, accountId, unusedDays, principalsScanned, principals, cleanPrincipals, resolved, previous,
                accessAdvisorUsed, notes, List.of());
    }

    /** The same report with one more note. */
    public AuditReport withNote(String note) {
        List<String> more = new ArrayList<>(notes);
        more.add(note);
        return new AuditReport(generatedAt, accountId, unusedDays, principalsScanned, principals, cleanPrincipals,
                resolved, previous, accessAdvisorUsed, more, paths, exemptions);
    }

    public enum Kind { ROLE, USER, GROUP, POLICY }

    /**
     * A principal (or a customer-managed policy on its own) and its findings, with when it was last used and its
     * IAM tags (owner, team: who to ask before fixing).
     */
    public record PrincipalResult(String arn, String name, Kind kind, List<Item> findings, LastUsed lastUsed,
                                  Map<String, String> tags) {
        public PrincipalResult {
            findings = findings.stream().sorted(Comparator.comparing((Item i) -> i.finding().severity())
                    .thenComparing(i -> i.finding().ruleId())).toList();
            tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        }

        public PrincipalResult(String arn, String name, Kind kind, List<Item> findings) {
            this(arn, name, kind, findings, LastUsed.UNKNOWN, Map.of());
        }

        /** Ranks principals: one CRITICAL outweighs any number of HIGH findings up to a thousand, and so on. */
        public long score() {
            long s = 0;
            for (Item i : findings) {
                s += weight(i.finding().severity());
            }
            return s;
        }

        public Severity worst() {
            return findings.stream().map(i -> i.finding().severity()).min(Enum::compareTo).orElse(Severity.INFO);
        }

        public long newCount() {
            return findings.stream().filter(Item::isNew).count();
        }
    }

    /** How much one finding of a severity weighs when principals (or fixes) are ranked. */
    public static long weight(Severity s) {
        return switch (s) {
            case CRITICAL -> 1_000_000L;
            case HIGH -> 1_000L;
            case MEDIUM -> 30L;
            case LOW -> 3L;
            case INFO -> 1L;
        };
    }

    /**
     * When a principal was last used and who says so: RoleLastUsed (roles), Access Advisor (roles and users, live)
     * or nobody ({@link #UNKNOWN}: a user offline). {@code at} is absent when the source knows of no use.
     */
    public record LastUsed(Optional<Instant> at, String source) {
        public static final LastUsed UNKNOWN = new LastUsed(Optional.empty(), "");

        public boolean known() {
            return !source.isEmpty();
        }

        /** {@code 2026-12-04}, {@code never (RoleLastUsed)} or {@code unknown}. */
        public String describe() {
            if (!known()) {
                return "unknown";
            }
            return at.map(i -> LocalDate.ofInstant(i, ZoneOffset.UTC).toString()).orElse("never (" + source + ")");
        }

        /** The later of the two uses; a known source wins over an unknown one. */
        public LastUsed or(LastUsed other) {
            if (!known()) {
                return other;
            }
            if (!other.known() || other.at.isEmpty()) {
                return this;
            }
            return at.isEmpty() || other.at.get().isAfter(at.get()) ? other : this;
        }
    }

    /**
     * One finding on a principal. The fingerprint (principal ARN and the finding's key: rule id plus what it is
     * about) is stable across runs, so the next report can tell new from known. A finding is known when the previous
     * report had it or when the real-time evaluator already alerted on it ({@code alerted}).
     */
    public record Item(Finding finding, String fingerprint, boolean isNew, Optional<KnownAlerts.RealTimeAlert> alerted) {
        public Item(Finding finding, String fingerprint, boolean isNew) {
            this(finding, fingerprint, isNew, Optional.empty());
        }
    }

    /** A finding of the previous report that is gone now. */
    public record Resolved(String fingerprint, String principal, String ruleId, String severity, String message) {
    }

    public Map<Severity, Integer> severityCounts() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, 0);
        }
        for (PrincipalResult p : principals) {
            for (Item i : p.findings()) {
                counts.merge(i.finding().severity(), 1, Integer::sum);
            }
        }
        return counts;
    }

    public int findingCount() {
        return principals.stream().mapToInt(p -> p.findings().size()).sum();
    }

    public long newCount() {
        return principals.stream().mapToLong(PrincipalResult::newCount).sum();
    }

    /** The ten principals with the worst findings. */
    public List<PrincipalResult> worst(int n) {
        return principals.subList(0, Math.min(n, principals.size()));
    }

    public boolean hasAtLeast(Severity threshold) {
        return principals.stream().flatMap(p -> p.findings().stream()).anyMatch(i -> i.finding().severity().atLeast(threshold));
    }

    public List<Finding> findings() {
        return principals.stream().flatMap(p -> p.findings().stream()).map(Item::finding).toList();
    }
}
