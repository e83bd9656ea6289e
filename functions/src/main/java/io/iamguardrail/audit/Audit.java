package io.iamguardrail.audit;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.Severity;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.paths.Member;
import io.iamguardrail.paths.PrivilegePath;
import io.iamguardrail.pipeline.AlertedFindings;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.rules.Rules;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scheduled sweep: every role, user, group and customer-managed policy of an account evaluated with the same
 * engine and configuration as the real-time evaluator (effective permissions, trust policies, principal rules),
 * plus unused access, each finding marked new or known against the previous report and the real-time alerts. Pure
 * apart from the {@link AccessAdvisor} and {@link KnownAlerts} ports.
 */
public final class Audit {

    /** At most this many principals are sent to Access Advisor in one run (IAM throttles the jobs account-wide). */
    public static final int DEFAULT_ADVISOR_LIMIT = 1000;

    private final GuardrailConfig config;
    private final AccessAdvisor advisor;
    private final ManagedPolicySnapshot bundled;
    private final int unusedDays;
    private final int advisorLimit;
    private final Clock clock;

    public Audit(GuardrailConfig config, AccessAdvisor advisor, ManagedPolicySnapshot bundled, int unusedDays,
                 int advisorLimit, Clock clock) {
        if (unusedDays < 1) {
            throw new IllegalArgumentException("expected the unused-access window to be at least 1 day but found " + unusedDays);
        }
        this.config = config;
        this.advisor = advisor;
        this.bundled = bundled;
        this.unusedDays = unusedDays;
        this.advisorLimit = advisorLimit;
        this.clock = clock;
    }

    public AuditReport run(AccountSnapshot account, Optional<PreviousReport> previous) {
        return run(account, previous, KnownAlerts.NONE);
    }

    /** With {@code alerts}: findings the real-time evaluator already alerted on are known, not new. */
    public AuditReport run(AccountSnapshot account, Optional<PreviousReport> previous, KnownAlerts alerts) {
        Instant now = clock.instant();
        Optional<String> accountId = config.accountId().or(account::accountId);
        Engine engine = Rules.engine().config(config.accountId().isEmpty() && accountId.isPresent()
                ? config.withAccountId(accountId.get()) : config).clock(clock).build();
        Sweep sweep = new Sweep(account, engine, new UnusedAccess(unusedDays, now));
        sweep.all();
        return sweep.report(now, accountId, previous, alerts);
    }

    /** One run over one account. */
    private final class Sweep {
        private final AccountSnapshot account;
        private final Engine engine;
        private final UnusedAccess unused;
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();
        private final Set<String> missingPolicies = new HashSet<>();
        private final Map<String, Optional<SourcedPolicy>> managedCache = new HashMap<>();
        private final Map<String, List<SourcedPolicy>> advisorSubjects = new LinkedHashMap<>();
        private int skippedServiceLinked;
        /** Every role, user and group as the privilege graph reads it. */
        private final List<Member> members = new ArrayList<>();
        private List<PrivilegePath> paths = List.of();
        /** What the account says of each principal beyond its policies: last use and IAM tags. */
        private final Map<String, AuditReport.LastUsed> lastUsed = new HashMap<>();
        private final Map<String, Map<String, String>> tags = new HashMap<>();

        private record Entry(String arn, String name, AuditReport.Kind kind, List<Finding> findings) {
        }

        Sweep(AccountSnapshot account, Engine engine, UnusedAccess unused) {
            this.account = account;
            this.engine = engine;
            this.unused = unused;
        }

        void all() {
            Map<String, AccountSnapshot.Group> groups = new HashMap<>();
            account.groups().forEach(g -> groups.put(g.name(), g));
            for (AccountSnapshot.Role role : account.roles()) {
                if (role.isServiceLinked()) {
                    skippedServiceLinked++;
                    continue;
                }
                List<SourcedPolicy> permissions = permissions("role " + role.name(), role.inlinePolicies(),
                        role.attachedPolicyArns(), SourcedPolicy.Origin.MANAGED);
                Optional<SourcedPolicy> trust = role.trustPolicy().isBlank() ? Optional.empty()
                        : Optional.of(new SourcedPolicy("role " + role.name() + " trust policy", "trust policy",
                        SourcedPolicy.Origin.TRUST, PolicyParser.parse(role.trustPolicy(), PolicyKind.TRUST)));
                Subject subject = new Subject(role.arn(), Optional.of(role.arn()), Subject.Type.ROLE, trust, permissions,
                        boundary(role.boundaryArn()));
                Entry e = evaluate(subject, role.name(), AuditReport.Kind.ROLE);
                members.add(new Member(role.arn(), role.name(), Member.Kind.ROLE, subject, List.of(), role.attachedPolicyArns()));
                unused.unusedRole(role).ifPresent(f -> e.findings().addAll(judged(f)));
                advisorSubjects.put(role.arn(), permissions);
                lastUsed.put(role.arn(), new AuditReport.LastUsed(role.lastUsed(), "RoleLastUsed"));
                tags.put(role.arn(), role.tags());
            }
            for (AccountSnapshot.User user : account.users()) {
                List<SourcedPolicy> permissions = permissions("user " + user.name(), user.inlinePolicies(),
                        user.attachedPolicyArns(), SourcedPolicy.Origin.MANAGED);
                List<String> groupArns = new ArrayList<>();
                List<String> held = new ArrayList<>(user.attachedPolicyArns());
                for (String groupName : user.groups()) {
                    AccountSnapshot.Group g = groups.get(groupName);
                    if (g == null) {
                        notes.add("user `" + user.name() + "` is in group `" + groupName + "`, which the details do not describe");
                        continue;
                    }
                    groupArns.add(g.arn());
                    held.addAll(g.attachedPolicyArns());
                    g.inlinePolicies().forEach((name, doc) -> permissions.add(new SourcedPolicy("group " + g.name()
                            + " inline policy " + name, g.name() + "/" + name, SourcedPolicy.Origin.GROUP,
                            PolicyParser.parse(doc, PolicyKind.IDENTITY))));
                    for (String arn : g.attachedPolicyArns()) {
                        managed(arn, SourcedPolicy.Origin.GROUP).ifPresent(permissions::add);
                    }
                }
                Subject subject = new Subject(user.arn(), Optional.of(user.arn()), Subject.Type.USER, Optional.empty(),
                        permissions, boundary(user.boundaryArn()));
                evaluate(subject, user.name(), AuditReport.Kind.USER);
                members.add(new Member(user.arn(), user.name(), Member.Kind.USER, subject, groupArns, held));
                advisorSubjects.put(user.arn(), permissions);
                tags.put(user.arn(), user.tags());
            }
            for (AccountSnapshot.Group group : account.groups()) {
                Subject subject = new Subject(group.arn(), Optional.of(group.arn()), Subject.Type.GROUP, Optional.empty(),
                        permissions("group " + group.name(), group.inlinePolicies(), group.attachedPolicyArns(),
                                SourcedPolicy.Origin.MANAGED), Optional.empty());
                evaluate(subject, group.name(), AuditReport.Kind.GROUP);
                members.add(new Member(group.arn(), group.name(), Member.Kind.GROUP, subject, List.of(),
                        group.attachedPolicyArns()));
            }
            for (AccountSnapshot.ManagedPolicy p : account.policies().values()) {
                if (p.isAwsManaged()) {
                    continue; // judged where it is attached: nobody can edit an AWS managed policy
                }
                managed(p.arn(), SourcedPolicy.Origin.STANDALONE).ifPresent(sp -> evaluate(new Subject(p.arn(),
                        Optional.of(p.arn()), Subject.Type.POLICY, Optional.empty(), List.of(sp), Optional.empty()),
                        p.name(), AuditReport.Kind.POLICY));
            }
            paths();
            accessAdvisor();
            if (skippedServiceLinked > 0) {
                notes.add(skippedServiceLinked + " service-linked roles skipped: their policies and trust are AWS's");
            }
            if (!missingPolicies.isEmpty()) {
                notes.add(missingPolicies.size() + " managed policies attached but not described (neither in the details nor in the"
                        + " bundled AWS snapshot), so not evaluated: " + String.join(", ", missingPolicies.stream().sorted().limit(10).toList())
                        + (missingPolicies.size() > 10 ? " and more" : ""));
            }
        }

        /** The paths to administrator access across principals, each a PRIVILEGE_PATH finding where it starts. */
        private void paths() {
            Set<String> critical = new HashSet<>();
            entries.values().stream().filter(e -> e.findings().stream().anyMatch(f -> f.severity() == Severity.CRITICAL))
                    .forEach(e -> critical.add(e.arn()));
            try {
                AuditPaths.Result result = AuditPaths.of(engine, members, critical, entries.keySet());
                result.findings().forEach((arn, found) -> entries.get(arn).findings().addAll(found));
                paths = result.paths();
            } catch (RuntimeException e) {
                notes.add("the paths to administrator access could not be computed (" + e.getClass().getSimpleName() + ": "
                        + e.getMessage() + "): PRIVILEGE_PATH was not checked");
            }
        }

        private void accessAdvisor() {
            if (!advisor.available()) {
                notes.add("no Access Advisor data (offline): unused services were not checked; unused roles come from RoleLastUsed");
                return;
            }
            List<String> arns = new ArrayList<>(advisorSubjects.keySet());
            if (arns.size() > advisorLimit) {
                notes.add("Access Advisor was asked about the first " + advisorLimit + " of " + arns.size() + " roles and users");
                arns = arns.subList(0, advisorLimit);
            }
            AccessAdvisor.Result result;
            try {
                result = advisor.lastAccessed(arns);
            } catch (RuntimeException e) {
                notes.add("Access Advisor failed (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "): unused services were not checked");
                return;
            }
            if (!result.failures().isEmpty()) {
                Map.Entry<String, String> first = result.failures().entrySet().iterator().next();
                notes.add("Access Advisor could not answer for " + result.failures().size() + " principals (first: `"
                        + first.getKey() + "`: " + first.getValue() + ")");
            }
            for (Entry e : entries.values()) {
                List<AccessAdvisor.ServiceAccess> services = result.byPrincipal().get(e.arn());
                if (services != null) {
                    Optional<Instant> last = services.stream().flatMap(s -> s.lastAuthenticated().stream())
                            .max(Comparator.naturalOrder());
                    lastUsed.merge(e.arn(), new AuditReport.LastUsed(last, "Access Advisor"), AuditReport.LastUsed::or);
                    String who = e.kind().name().toLowerCase(Locale.ROOT) + " `" + e.name() + "`";
                    unused.unusedServices(who, e.arn(), services, advisorSubjects.get(e.arn()))
                            .forEach(f -> e.findings().addAll(judged(f)));
                }
            }
        }

        /** An unused-access finding under the same configuration as the engine's: off, exempted or overridden. */
        private List<Finding> judged(Finding unusedAccess) {
            return engine.judgement().about(List.of(unusedAccess), unusedAccess.principal().stream().toList(),
                    new ArrayList<>());
        }

        private List<SourcedPolicy> permissions(String owner, Map<String, String> inline, List<String> attached,
                                                SourcedPolicy.Origin origin) {
            List<SourcedPolicy> out = new ArrayList<>();
            inline.forEach((name, doc) -> out.add(new SourcedPolicy(owner + " inline policy " + name, name,
                    SourcedPolicy.Origin.INLINE, PolicyParser.parse(doc, PolicyKind.IDENTITY))));
            for (String arn : attached) {
                managed(arn, origin).ifPresent(out::add);
            }
            return out;
        }

        private Optional<SourcedPolicy> boundary(Optional<String> arn) {
            return arn.flatMap(a -> managed(a, SourcedPolicy.Origin.BOUNDARY));
        }

        /** A managed policy's default document: from the details, else (AWS managed) the bundled snapshot. */
        private Optional<SourcedPolicy> managed(String arn, SourcedPolicy.Origin origin) {
            Optional<SourcedPolicy> base = managedCache.computeIfAbsent(arn, a -> {
                AccountSnapshot.ManagedPolicy p = account.policies().get(a);
                String name = a.substring(a.lastIndexOf('/') + 1);
                if (p != null && p.document().isPresent()) {
                    return Optional.of(new SourcedPolicy(a + " " + p.defaultVersionId(), name, origin,
                            PolicyParser.parse(p.document().get(), PolicyKind.IDENTITY)));
                }
                Optional<ManagedPolicySnapshot.Entry> entry = bundled.find(a);
                if (entry.isPresent()) {
                    return Optional.of(new SourcedPolicy(a + " " + entry.get().versionId(), name, origin,
                            PolicyParser.parse(entry.get().document(), PolicyKind.IDENTITY)));
                }
                missingPolicies.add(a);
                return Optional.empty();
            });
            // The parsed document is shared; only how it is attached differs.
            return base.map(b -> b.origin() == origin ? b : new SourcedPolicy(b.source(), b.name(), origin, b.parsed()));
        }

        private Entry evaluate(Subject subject, String name, AuditReport.Kind kind) {
            List<Finding> findings = new ArrayList<>();
            try {
                findings.addAll(engine.evaluate(subject).findings());
            } catch (RuntimeException e) {
                notes.add(kind.name().toLowerCase(Locale.ROOT) + " `" + name + "` could not be evaluated: "
                        + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            Entry e = new Entry(subject.source(), name, kind, findings);
            entries.put(subject.source(), e);
            return e;
        }

        AuditReport report(Instant now, Optional<String> accountId, Optional<PreviousReport> previous, KnownAlerts alerts) {
            Map<String, AuditReport.Resolved> before = previous.map(PreviousReport::findings).orElse(Map.of());
            Map<String, KnownAlerts.RealTimeAlert> alerted = realTime(accountId, alerts);
            Optional<Instant> since = previous.flatMap(PreviousReport::generatedAt);
            Set<String> seen = new HashSet<>();
            List<AuditReport.PrincipalResult> results = new ArrayList<>();
            List<String> clean = new ArrayList<>();
            for (Entry e : entries.values()) {
                if (e.findings().isEmpty()) {
                    clean.add(e.arn());
                    continue;
                }
                List<AuditReport.Item> items = new ArrayList<>();
                Set<String> local = new HashSet<>();
                for (Finding f : e.findings()) {
                    String fingerprint = e.arn() + "|" + f.key();
                    if (!local.add(fingerprint + "|" + f.source() + "|" + f.location().pointer())) {
                        continue;
                    }
                    seen.add(fingerprint);
                    // Known: in the previous report, or alerted in real time (same principal and rule, see
                    // AlertedFindings.key). Without either there is nothing to compare with: everything is new.
                    // An alert older than the previous report that did not have the finding was about an earlier
                    // occurrence, fixed since: this one is new.
                    Optional<KnownAlerts.RealTimeAlert> mark = AlertedFindings.key(e.arn(), f.ruleId(), accountId)
                            .map(alerted::get).filter(a -> since.isEmpty() || !a.alertedAt().isBefore(since.get()));
                    items.add(new AuditReport.Item(f, fingerprint, !before.containsKey(fingerprint) && mark.isEmpty(), mark));
                }
                results.add(new AuditReport.PrincipalResult(e.arn(), e.name(), e.kind(), items,
                        lastUsed.getOrDefault(e.arn(), AuditReport.LastUsed.UNKNOWN), tags.getOrDefault(e.arn(), Map.of())));
            }
            List<AuditReport.Resolved> resolved = before.values().stream().filter(r -> !seen.contains(r.fingerprint()))
                    .sorted(Comparator.comparing(AuditReport.Resolved::fingerprint)).toList();
            if (previous.isEmpty()) {
                notes.add(alerts == KnownAlerts.NONE ? "no previous report: every finding is new"
                        : "no previous report: every finding not alerted in real time is new");
            }
            return new AuditReport(now, accountId, unusedDays, entries.size(), results, clean, resolved,
                    previous.flatMap(PreviousReport::generatedAt), advisor.available(), notes, paths, inForce(now));
        }

        /** The exemptions that still hold at {@code now}: the report lists them with their expiry. */
        private List<GuardrailConfig.Exemption> inForce(Instant now) {
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            return config.exemptions().stream().filter(x -> x.expires().isEmpty() || today.isBefore(x.expires().get()))
                    .toList();
        }

        /** The real-time alerts on this run's findings; when they cannot be read, a note and none. */
        private Map<String, KnownAlerts.RealTimeAlert> realTime(Optional<String> accountId, KnownAlerts alerts) {
            if (alerts == KnownAlerts.NONE) {
                return Map.of();
            }
            Set<String> keys = new HashSet<>();
            for (Entry e : entries.values()) {
                for (Finding f : e.findings()) {
                    AlertedFindings.key(e.arn(), f.ruleId(), accountId).ifPresent(keys::add);
                }
            }
            if (keys.isEmpty()) {
                return Map.of();
            }
            try {
                return alerts.find(keys);
            } catch (RuntimeException ex) {
                notes.add("the real-time alerts could not be read (" + ex.getClass().getSimpleName() + ": " + ex.getMessage()
                        + "): findings are compared with the previous report only");
                return Map.of();
            }
        }
    }
}
