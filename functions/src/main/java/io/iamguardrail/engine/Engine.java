package io.iamguardrail.engine;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.Statement;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Evaluates subjects (a policy file, or a principal with all its policies) against the rules. Pure: no I/O, no
 * AWS. Thread-safe once built; build one per process and reuse it.
 */
public final class Engine {

    /** The id of the finding that stands for a rule that failed; the failing rule's id is in its key and message. */
    public static final String ENGINE_ERROR = "ENGINE_ERROR";
    public static final RuleMetadata ENGINE_ERROR_METADATA = new RuleMetadata(ENGINE_ERROR, Severity.HIGH, "engine",
            "A rule failed on this input",
            "The rule could not be evaluated, so a risk it checks for may be hidden; the other rules still ran.",
            "Report the input that caused it; until fixed, review the policy by hand for what the rule checks.",
            List.of()).with(RuleTrait.KEPT_WHEN_DORMANT);

    private final ActionCatalog catalog;
    private final Knowledge knowledge;
    private final GuardrailConfig config;
    private final List<Rule> rules;
    private final Clock clock;
    private final Judgement judgement;
    /** Rules whose findings stay as they are in a statement that grants nothing today. */
    private final Set<String> keptWhenDormant = new HashSet<>();

    private Engine(Builder b) {
        this.catalog = Objects.requireNonNull(b.catalog, "catalog");
        this.knowledge = Objects.requireNonNull(b.knowledge, "knowledge");
        this.config = Objects.requireNonNull(b.config, "config");
        this.rules = List.copyOf(b.rules);
        this.clock = b.clock;
        List<RuleMetadata> metadata = new ArrayList<>();
        rules.forEach(r -> metadata.add(r.metadata()));
        metadata.add(ENGINE_ERROR_METADATA);
        metadata.stream().filter(m -> m.has(RuleTrait.KEPT_WHEN_DORMANT)).forEach(m -> keptWhenDormant.add(m.id()));
        this.judgement = new Judgement(config, metadata, clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    public GuardrailConfig config() {
        return config;
    }

    /** How this engine's configuration is applied to findings, including those made outside {@link #evaluate}. */
    public Judgement judgement() {
        return judgement;
    }

    public ActionCatalog catalog() {
        return catalog;
    }

    /** The statements of {@code policy} whose catalogue matches are kept across evaluations ({@link ManagedMatches}). */
    long managedMatchesKept(SourcedPolicy policy) {
        return policy.document().map(doc -> doc.statements().stream()
                .filter(st -> ManagedMatches.SHARED.holds(catalog, st.actions())).count()).orElse(0L);
    }

    public Knowledge knowledge() {
        return knowledge;
    }

    public List<Rule> rules() {
        return rules;
    }

    public Report evaluate(Subject subject) {
        RuleContext ctx = new RuleContext(catalog, knowledge, config);
        for (SourcedPolicy policy : subject.all()) {
            if (policy.origin() == SourcedPolicy.Origin.MANAGED || policy.origin() == SourcedPolicy.Origin.BOUNDARY) {
                policy.document().ifPresent(doc -> doc.statements().forEach(
                        st -> ctx.knownMatches(st.actions(), ManagedMatches.SHARED.of(catalog, st.actions()))));
            }
        }
        List<Finding> raw = new ArrayList<>();
        List<Report.Suppressed> suppressed = new ArrayList<>();
        Set<String> failed = new LinkedHashSet<>();
        Set<String> ran = new LinkedHashSet<>();
        // Findings about a document AWS wrote, raised by the rules on that document alone.
        Set<Finding> awsAuthored = Collections.newSetFromMap(new IdentityHashMap<>());

        for (SourcedPolicy policy : subject.all()) {
            int before = raw.size();
            for (Rule rule : rules) {
                if (rule instanceof ParseRule pr && enabled(rule)) {
                    run(rule, subject, ctx, raw, failed, ran, policy.source(), () -> pr.check(policy, ctx));
                }
            }
            if (policy.document().isEmpty()) {
                if (policy.awsAuthored()) {
                    awsAuthored.addAll(raw.subList(before, raw.size()));
                }
                continue;
            }
            PolicyDocument doc = policy.document().get();
            for (Rule rule : rules) {
                if (rule instanceof DocumentRule dr && enabled(rule)) {
                    run(rule, subject, ctx, raw, failed, ran, policy.source(), () -> dr.check(policy, doc, subject, ctx));
                }
            }
            if (policy.awsAuthored()) {
                awsAuthored.addAll(raw.subList(before, raw.size()));
            }
        }

        List<SourcedPolicy> granting = new ArrayList<>();
        for (SourcedPolicy p : subject.permissions()) {
            if (p.document().isPresent() && p.kind() == PolicyKind.RESOURCE) {
                ResourceGrants.beyondOwnAccount(p, config.accountId()).ifPresent(granting::add);
            } else if (p.document().isPresent() && p.kind() != PolicyKind.TRUST) {
                granting.add(p);
            }
        }
        List<Finding> individual = new ArrayList<>();
        Permissions effective = Permissions.empty(catalog);
        SelfNames self = SelfNames.of(subject);
        for (SourcedPolicy p : granting) {
            Permissions alone = Permissions.of(catalog, List.of(p), Optional.empty(), ctx::matches, self);
            int before = individual.size();
            runPermissionRules(alone, subject, ctx, individual, failed, ran, p.source());
            if (p.awsAuthored()) {
                awsAuthored.addAll(individual.subList(before, individual.size()));
            }
            effective = alone;
        }
        boolean together = granting.size() > 1 || (subject.boundary().isPresent() && !granting.isEmpty());
        if (together) {
            effective = Permissions.of(catalog, granting, subject.boundary(), ctx::matches, self);
            List<Finding> combined = new ArrayList<>();
            runPermissionRules(effective, subject, ctx, combined, failed, ran, subject.source());
            // What counts for a principal is its effective permissions: report the findings of the policies
            // together (with their severity there), and say why a finding of one policy alone went away.
            Set<String> combinedKeys = keys(combined);
            for (Finding f : individual) {
                if (!combinedKeys.contains(f.key())) {
                    suppressed.add(new Report.Suppressed(f, subject.boundary().isPresent()
                            ? "outside the permissions boundary or denied by another policy"
                            : "denied by another policy of the principal"));
                }
            }
            raw.addAll(combined);
        } else {
            raw.addAll(individual);
        }

        if (subject.trust().isPresent() || subject.type() == Subject.Type.ROLE) {
            Optional<PolicyDocument> trustDoc = subject.trust().flatMap(SourcedPolicy::document);
            PrincipalView view = new PrincipalView(subject.trust(), trustDoc, effective,
                    granting.isEmpty() ? Optional.empty() : Privilege.assess(effective, knowledge));
            for (Rule rule : rules) {
                if (rule instanceof PrincipalRule pr && enabled(rule)) {
                    run(rule, subject, ctx, raw, failed, ran, subject.source(), () -> pr.check(subject, view, ctx));
                }
            }
        }
        return finish(subject, raw, awsAuthored, suppressed, ran, failed);
    }

    private void runPermissionRules(Permissions permissions, Subject subject, RuleContext ctx, List<Finding> out,
                                    Set<String> failed, Set<String> ran, String source) {
        for (Rule rule : rules) {
            if (rule instanceof PermissionRule pr && enabled(rule)) {
                run(rule, subject, ctx, out, failed, ran, source, () -> pr.check(permissions, subject, ctx));
            }
        }
    }

    private void run(Rule rule, Subject subject, RuleContext ctx, List<Finding> out, Set<String> failed,
                     Set<String> ran, String source, Runnable body) {
        ran.add(rule.id());
        ctx.start(rule, subject);
        try {
            body.run();
            out.addAll(ctx.drain());
        } catch (RuntimeException | StackOverflowError e) {
            ctx.drain();
            failed.add(rule.id());
            String detail = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            out.add(new Finding(ENGINE_ERROR, ENGINE_ERROR + "|" + rule.id() + "|" + source, Severity.HIGH,
                    ENGINE_ERROR_METADATA.title(), "rule `" + rule.id() + "` failed on this input: " + detail,
                    ENGINE_ERROR_METADATA.remediation(), source, subject.principal(), SourceLocation.UNKNOWN,
                    Optional.empty(), List.of()));
        }
    }

    private Report finish(Subject subject, List<Finding> raw, Set<Finding> awsAuthored,
                          List<Report.Suppressed> suppressed, Set<String> ran, Set<String> failed) {
        Set<String> seen = new HashSet<>();
        List<DormantStatement> dormant = dormant(subject);
        List<Finding> found = new ArrayList<>();
        for (Finding original : raw) {
            Finding f = dormant.isEmpty() ? original : asDormant(original, dormant);
            if (f != original && awsAuthored.contains(original)) {
                awsAuthored.add(f);
            }
            if (seen.add(f.key() + "|" + f.source() + "|" + f.location().pointer())) {
                found.add(f);
            }
        }
        List<Finding> kept = judgement.subject(subject.source(), found, awsAuthored::contains, suppressed);
        return new Report(subject.source(), kept, suppressed, List.copyOf(ran), List.copyOf(failed));
    }

    /** A statement of the subject that grants nothing today, and why. */
    private record DormantStatement(String source, String pointer, String why) {
    }

    private List<DormantStatement> dormant(Subject subject) {
        List<DormantStatement> out = new ArrayList<>();
        for (SourcedPolicy p : subject.all()) {
            if (p.document().isEmpty() || p.kind() == PolicyKind.TRUST) {
                continue;
            }
            for (Statement s : p.document().get().statements()) {
                Dormant.why(s, clock.instant()).ifPresent(why -> out.add(new DormantStatement(p.source(), s.at().pointer(), why)));
            }
        }
        return out;
    }

    /** A finding located in a statement that grants nothing today is INFO, and says why. */
    private Finding asDormant(Finding f, List<DormantStatement> dormant) {
        if (keptWhenDormant.contains(f.ruleId())) {
            return f;
        }
        String at = f.location().pointer();
        for (DormantStatement d : dormant) {
            if (d.source().equals(f.source()) && !d.pointer().isEmpty()
                    && (at.equals(d.pointer()) || at.startsWith(d.pointer() + "/"))) {
                return new Finding(f.ruleId(), f.key(), Severity.INFO, f.title(), f.message() + " (" + d.why()
                        + ", so info rather than " + f.severity().lowerName() + ")", f.remediation(), f.source(),
                        f.principal(), f.location(), Optional.of(d.why()), f.related());
            }
        }
        return f;
    }

    /** The configuration applied to findings made outside {@link #evaluate}: see {@link Judgement#about}. */
    public List<Finding> configure(List<Finding> findings, List<String> principalNames, List<Report.Suppressed> suppressed) {
        return judgement.about(findings, principalNames, suppressed);
    }

    private boolean enabled(Rule rule) {
        return judgement.enabled(rule.id());
    }

    private static Set<String> keys(List<Finding> findings) {
        Set<String> keys = new HashSet<>();
        findings.forEach(f -> keys.add(f.key()));
        return keys;
    }

    /** Configures an engine; the defaults are the bundled catalogue, knowledge and configuration. */
    public static final class Builder {
        private ActionCatalog catalog;
        private Knowledge knowledge;
        private GuardrailConfig config = GuardrailConfig.defaults();
        private List<Rule> rules;
        private Clock clock = Clock.systemUTC();

        public Builder catalog(ActionCatalog catalog) {
            this.catalog = catalog;
            return this;
        }

        public Builder knowledge(Knowledge knowledge) {
            this.knowledge = knowledge;
            return this;
        }

        public Builder config(GuardrailConfig config) {
            this.config = config;
            return this;
        }

        public Builder rules(List<Rule> rules) {
            this.rules = rules;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder apply(Consumer<Builder> change) {
            change.accept(this);
            return this;
        }

        public Engine build() {
            if (catalog == null) {
                catalog = ActionCatalog.bundled();
            }
            if (knowledge == null) {
                knowledge = Knowledge.bundled();
            }
            if (rules == null) {
                throw new IllegalStateException("expected the rules to evaluate (Rules.engine() sets them all) but found none");
            }
            return new Engine(this);
        }
    }
}
