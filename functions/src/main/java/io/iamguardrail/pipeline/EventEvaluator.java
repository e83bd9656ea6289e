package io.iamguardrail.pipeline;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.Privilege;
import io.iamguardrail.engine.Report;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.engine.WatchFacts;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.remediation.OwnChange;
import io.iamguardrail.remediation.OwnChanges;
import io.iamguardrail.rules.Rules;
import io.iamguardrail.rules.UnverifiedChangeRule;
import io.iamguardrail.tamper.OwnStack;
import io.iamguardrail.state.IamState;
import io.iamguardrail.state.LookupFailed;
import io.iamguardrail.state.ManagedPolicy;
import io.iamguardrail.state.PrincipalRef;
import io.iamguardrail.state.PrincipalState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * From a CloudTrail IAM event to a decision: what changed, the live state of what it changed (or the event's own
 * copy when the live state cannot be read, and then it says so), the rules on the changed document, on the
 * principal's effective permissions and trust, and on the change itself, and what access is new. Pure apart from
 * the {@link IamState} port.
 */
public final class EventEvaluator {

    public static final Set<String> HANDLED = Stream.concat(Stream.of("CreateRole", "UpdateAssumeRolePolicy",
            "PutRolePolicy", "AttachRolePolicy", "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary",
            "CreatePolicy", "CreatePolicyVersion", "SetDefaultPolicyVersion", "PutUserPolicy", "AttachUserPolicy",
            "PutUserPermissionsBoundary", "DeleteUserPermissionsBoundary", "PutGroupPolicy", "AttachGroupPolicy",
            "AddUserToGroup", "CreateUser", "CreateAccessKey", "CreateLoginProfile", "UpdateLoginProfile",
            "CreateOpenIDConnectProvider", "CreateSAMLProvider"), WatchList.EVENTS.stream())
            .collect(Collectors.toUnmodifiableSet());
    /**
     * Changes that only take access away: recorded in the decision log, never alerted. (Detaching or deleting a
     * policy and leaving a group are on the {@link WatchList}: what they remove may have been a Deny.)
     */
    public static final Set<String> REDUCING = Set.of("DeletePolicy", "DeletePolicyVersion", "DeleteRole",
            "DeleteUser", "DeleteGroup", "DeleteAccessKey", "DeleteLoginProfile", "DeleteOpenIDConnectProvider",
            "DeleteSAMLProvider");

    static final int MAX_ENTITIES = 10;
    private static final int NEW_ACCESS_SHOWN = 12;

    private final IamState state;
    private final GuardrailConfig config;
    private final GuardrailIdentity guardrail;
    private final Map<String, Engine> engines = new ConcurrentHashMap<>();
    private final List<EventRule> eventRules = Rules.events();
    private final UnverifiedChangeRule unverified = new UnverifiedChangeRule();
    private final ParsedManagedPolicies parsedManaged = new ParsedManagedPolicies();
    private final SubjectReader reader;
    private final OwnStack stack;

    /** With only the evaluator's role known and no record of its writes: every change that role makes is judged. */
    public EventEvaluator(IamState state, GuardrailConfig config, Optional<String> guardrailRoleArn) {
        this(state, config, GuardrailIdentity.of(guardrailRoleArn, Optional.empty(), OwnChanges.NONE));
    }

    public EventEvaluator(IamState state, GuardrailConfig config, GuardrailIdentity guardrail) {
        this(state, config, guardrail, OwnStack.NONE);
    }

    /** With the stack's own resources: changes to them are GUARDRAIL_TAMPERED, the canary's tag the heartbeat. */
    public EventEvaluator(IamState state, GuardrailConfig config, GuardrailIdentity guardrail, OwnStack stack) {
        this.stack = stack;
        this.state = state;
        this.config = config;
        this.guardrail = guardrail;
        this.reader = new SubjectReader(state);
    }

    public GuardrailConfig config() {
        return config;
    }

    public Decision evaluate(CloudTrailEvent e) {
        if (e.errorCode().isPresent()) {
            return Decision.skipped(e, "failed call (" + e.errorCode().get() + "): nothing changed");
        }
        boolean misuse = false;
        if (guardrail.isGuardrail(e.actor())) {
            if (guardrail.isEvaluator(e.actor()) && guardrail.own().consume(OwnChange.of(e), e.eventId())) {
                return Decision.skipped(e, "the guardrail's own change (loop guard)");
            }
            // Not a write the guardrail recorded: someone is acting with its permissions. Judged like any change,
            // whatever it is (a detach or delete included), with GUARDRAIL_ROLE_MISUSE.
            misuse = true;
        }
        if (isQuarantine(e)) {
            return new Decision(e.eventId(), e.eventName(), Verdict.NO_ALERT,
                    "AWS's compromised-key quarantine policy: never flagged", Optional.empty(), List.of(), List.of(),
                    List.of(), Optional.of(e));
        }
        Optional<OwnStack.Touch> own = stack.classify(e);
        if (own.isPresent() && own.get() instanceof OwnStack.Heartbeat) {
            return Heartbeats.received(e);
        }
        Optional<Finding> tampered = own.map(t -> Heartbeats.tampered(e, (OwnStack.Tampered) t));
        if (tampered.isEmpty() && ResourcePolicyChange.handles(e)) {
            return ResourcePolicyChange.evaluate(engineFor(e.account()), e, config.alertThreshold());
        }
        boolean handled = HANDLED.contains(e.eventName());
        if (tampered.isPresent() && !handled) {
            // Not added through the configuration: it lives in the function's environment, which is one of the
            // things a tamperer changes.
            Run run = new Run(e, misuse);
            run.eventRulesOnly();
            run.target = run.target.or(() -> Optional.of(((OwnStack.Tampered) own.get()).what().describe()));
            run.findings.add(tampered.get());
            return run.decision();
        }
        if (!handled && (e.actor().isRoot() || misuse) && !isReadOnly(e.eventName())) {
            // The root user, or someone with the guardrail's role, changing IAM is worth an alert whatever the
            // change: judge the actor alone.
            Run run = new Run(e, misuse);
            run.eventRulesOnly();
            return run.decision();
        }
        if (REDUCING.contains(e.eventName())) {
            return new Decision(e.eventId(), e.eventName(), Verdict.NO_ALERT, "access reduced: recorded, not alerted",
                    Optional.empty(), List.of(), List.of(), List.of(), Optional.of(e));
        }
        if (!handled) {
            return Decision.skipped(e, "event not handled: `" + e.eventName() + "`");
        }
        Run run = new Run(e, misuse);
        run.evaluate();
        tampered.ifPresent(run.findings::add);
        return run.decision();
    }

    /**
     * AWS's own response to an exposed key (deny-only AWSCompromisedKeyQuarantine* policies) is never flagged: the
     * AWS managed policy attached, or the inline copy IAM itself puts on the user. A customer policy or an inline
     * policy anyone else names so is judged like any other (the name is the caller's choice).
     */
    static boolean isQuarantine(CloudTrailEvent e) {
        String name = e.eventName();
        if (name.startsWith("Attach")) {
            String arn = e.request("policyArn").orElse("");
            return ManagedPolicySnapshot.isAwsManaged(arn) && WatchList.isAwsQuarantine(arn);
        }
        if (name.startsWith("Put")) {
            boolean byIam = e.actor().type().equals("AWSService")
                    && e.actor().invokedBy().filter("iam.amazonaws.com"::equals).isPresent();
            return byIam && WatchList.isAwsQuarantine(e.request("policyName").orElse(""));
        }
        return false;
    }

    private static boolean isReadOnly(String eventName) {
        return eventName.startsWith("Get") || eventName.startsWith("List") || eventName.startsWith("Generate")
                || eventName.startsWith("Simulate") || eventName.startsWith("Describe");
    }

    Engine engineFor(Optional<String> account) {
        Optional<String> own = config.accountId().or(() -> account.filter(a -> a.matches("\\d{12}")));
        return engines.computeIfAbsent(own.orElse(""), a -> Rules.engine()
                .config(a.isEmpty() ? config : config.withAccountId(a)).build());
    }

    /** One event's evaluation: collects findings, notes and new access. */
    private final class Run {
        private final CloudTrailEvent e;
        private final Engine engine;
        private final List<Finding> findings = new ArrayList<>();
        private final List<Report.Suppressed> suppressed = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final List<String> newAccess = new ArrayList<>();
        private Optional<String> target = Optional.empty();
        /** The changed principal's ARN as IAM has it (path included), once read. */
        private Optional<String> liveArn = Optional.empty();
        private Optional<String> privilegedGroup = Optional.empty();
        private WatchFacts watch = WatchFacts.NONE;
        /** Default versions read during this event: an attached policy is read once, not once per use. */
        private final Map<String, ManagedPolicy> defaultVersions = new LinkedHashMap<>();

        /** The change was made with a guardrail role without the guardrail's record of it. */
        private final boolean misuse;

        Run(CloudTrailEvent e, boolean misuse) {
            this.e = e;
            this.misuse = misuse;
            this.engine = engineFor(e.account());
        }

        /** Only the rules about the change itself (the root user acting on IAM outside the handled events). */
        void eventRulesOnly() {
            target = e.request("roleName").map(r -> "role " + r).or(() -> e.request("userName").map(u -> "user " + u));
            runEventRules();
        }

        void evaluate() {
            String name = e.eventName();
            if (WatchList.EVENTS.contains(name)) {
                watched();
                runEventRules();
                return;
            }
            switch (name) {
                case "PutRolePolicy", "PutUserPolicy", "PutGroupPolicy" -> putInline(refOf(name));
                case "CreateRole" -> createRole();
                case "UpdateAssumeRolePolicy" -> updateTrust();
                case "AttachRolePolicy", "AttachUserPolicy", "AttachGroupPolicy" -> attach(refOf(name));
                case "PutRolePermissionsBoundary", "PutUserPermissionsBoundary" -> putBoundary(refOf(name));
                case "DeleteRolePermissionsBoundary", "DeleteUserPermissionsBoundary" -> deleteBoundary(refOf(name));
                case "CreatePolicy" -> createPolicy();
                case "CreatePolicyVersion" -> createPolicyVersion();
                case "SetDefaultPolicyVersion" -> setDefaultVersion();
                case "AddUserToGroup" -> addUserToGroup();
                case "CreateUser" -> target = e.request("userName").map(u -> "user " + u);
                case "CreateAccessKey", "CreateLoginProfile", "UpdateLoginProfile" ->
                        target = e.request("userName").map(u -> "user " + u);
                default -> target = e.request("url").or(() -> e.request("name"));
            }
            runEventRules();
        }

        private void runEventRules() {
            EventRule.Facts facts = new EventRule.Facts(privilegedGroup, misuse, watch);
            List<Finding> eventFindings = new ArrayList<>();
            for (EventRule rule : eventRules) {
                eventFindings.addAll(rule.check(e, facts));
            }
            findings.addAll(engine.configure(eventFindings, exemptionNames(), suppressed));
        }

        /**
         * What an exemption may name for this change: the principal's ARN (live when read) and its name. Never the
         * target as shown, a policy name or the event id: whoever makes the change chooses those.
         */
        private List<String> exemptionNames() {
            List<String> names = new ArrayList<>();
            targetRef().ifPresent(ref -> {
                names.add(liveArn.orElse(arnOf(ref)));
                names.add(ref.name());
            });
            return names;
        }

        private Optional<PrincipalRef> targetRef() {
            String name = e.eventName();
            if (name.contains("Role") && e.request("roleName").isPresent()) {
                return Optional.of(new PrincipalRef(PrincipalRef.Kind.ROLE, e.request("roleName").get()));
            }
            if (name.equals("AddUserToGroup") || name.equals("RemoveUserFromGroup") || !name.contains("Group")) {
                return e.request("userName").map(u -> new PrincipalRef(PrincipalRef.Kind.USER, u));
            }
            return e.request("groupName").map(g -> new PrincipalRef(PrincipalRef.Kind.GROUP, g));
        }

        /** The ARN of a principal of this event's account (path unknown: `/`). */
        private String arnOf(PrincipalRef ref) {
            String kind = ref.kind().name().toLowerCase(java.util.Locale.ROOT);
            return "arn:aws:iam::" + e.account().orElse("") + ":" + kind + "/" + ref.name();
        }

        Decision decision() {
            List<Finding> distinct = distinct(findings);
            Severity threshold = config.alertThreshold();
            boolean alert = distinct.stream().anyMatch(f -> f.severity().atLeast(threshold));
            Optional<Severity> worst = distinct.stream().map(Finding::severity).min(Enum::compareTo);
            String reason = alert ? "findings at or above " + threshold + " (worst: " + worst.get() + ")"
                    : distinct.isEmpty() ? "no finding" : "no finding at or above " + threshold + " (worst: " + worst.get() + ")";
            return new Decision(e.eventId(), e.eventName(), alert ? Verdict.ALERT : Verdict.NO_ALERT, reason, target,
                    distinct, newAccess, notes, Optional.of(e));
        }

        // ---- per event ----

        private void putInline(PrincipalRef ref) {
            String policyName = e.request("policyName").orElse("(unnamed)");
            target = Optional.of(ref + " inline policy " + policyName);
            Optional<SourcedPolicy> doc = requestDocument("policyDocument", policyName, SourcedPolicy.Origin.INLINE,
                    PolicyKind.IDENTITY);
            if (doc.isEmpty()) {
                findings.add(unverified.unverified(e, "the inline policy `" + policyName + "` of " + ref,
                        "the event carries no policy document"));
                return;
            }
            principal(ref, new Overrides(Optional.of(doc.get()), Optional.empty(), Optional.empty(), Optional.empty()),
                    List.of(doc.get()));
        }

        private void createRole() {
            PrincipalRef ref = new PrincipalRef(PrincipalRef.Kind.ROLE, e.request("roleName").orElse("?"));
            target = Optional.of(ref.toString());
            Optional<SourcedPolicy> trust = requestDocument("assumeRolePolicyDocument", "trust policy",
                    SourcedPolicy.Origin.TRUST, PolicyKind.TRUST);
            if (trust.isEmpty()) {
                // The request copy may be redacted; the response copy is URL-encoded as IAM returns it.
                trust = e.response("role", "assumeRolePolicyDocument").map(doc -> new SourcedPolicy(
                        "responseElements.role.assumeRolePolicyDocument", "trust policy", SourcedPolicy.Origin.TRUST,
                        PolicyParser.parseUrlEncoded(doc, PolicyKind.TRUST)));
            }
            if (trust.isEmpty()) {
                findings.add(unverified.unverified(e, "the trust policy of " + ref, "the event carries no document"));
                return;
            }
            trust = Optional.of(liveTrust(ref, trust.get()));
            Optional<SourcedPolicy> boundary = e.request("permissionsBoundary").flatMap(this::boundaryPolicy);
            // A role being created has no permission policies yet: its trust (and boundary) is all there is. Its ARN
            // as IAM has it; the response's only when it names this role (a forged one could name an exempt role).
            String arn = liveArn.orElseGet(() -> e.response("role", "arn")
                    .filter(a -> a.contains(":role/") && a.endsWith("/" + ref.name())).orElse(arnOf(ref)));
            evaluate(new Subject(arn, Optional.of(arn), Subject.Type.ROLE, trust, List.of(), boundary));
        }

        /** A new role's trust as IAM has it now: a forged CreateRole cannot stand in for the role's real trust. */
        private SourcedPolicy liveTrust(PrincipalRef ref, SourcedPolicy fromEvent) {
            if (!state.live()) {
                return fromEvent;
            }
            Optional<String> eventText = e.request("assumeRolePolicyDocument").or(() -> e.response("role",
                    "assumeRolePolicyDocument").map(d -> java.net.URLDecoder.decode(d, java.nio.charset.StandardCharsets.UTF_8)));
            try {
                PrincipalState role = state.principal(ref);
                liveArn = Optional.of(role.arn());
                Optional<String> live = role.trustPolicy();
                if (live.isPresent() && !sameDocument(live.get(), eventText)) {
                    notes.add(differs("the trust policy of " + ref));
                    return new SourcedPolicy("live: " + ref + " trust policy", "trust policy", SourcedPolicy.Origin.TRUST,
                            PolicyParser.parse(live.get(), PolicyKind.TRUST));
                }
            } catch (LookupFailed failed) {
                notes.add(notVisible(ref.toString()));
            }
            return fromEvent;
        }

        private void updateTrust() {
            PrincipalRef ref = new PrincipalRef(PrincipalRef.Kind.ROLE, e.request("roleName").orElse("?"));
            target = Optional.of(ref + " trust policy");
            Optional<SourcedPolicy> trust = requestDocument("policyDocument", "trust policy", SourcedPolicy.Origin.TRUST,
                    PolicyKind.TRUST);
            if (trust.isEmpty()) {
                findings.add(unverified.unverified(e, "the trust policy of " + ref, "the event carries no document"));
                return;
            }
            principal(ref, new Overrides(Optional.empty(), trust, Optional.empty(), Optional.empty()), List.of(trust.get()));
        }

        private void attach(PrincipalRef ref) {
            String arn = e.request("policyArn").orElse("?");
            target = Optional.of(ref + " policy " + arn);
            Optional<SourcedPolicy> attached = managed(arn, SourcedPolicy.Origin.MANAGED);
            principal(ref, new Overrides(Optional.empty(), Optional.empty(), Optional.of(arn), Optional.empty()),
                    attached.map(List::of).orElse(List.of()));
        }

        private void putBoundary(PrincipalRef ref) {
            String arn = e.request("permissionsBoundary").orElse("?");
            target = Optional.of(ref + " permissions boundary " + arn);
            Optional<SourcedPolicy> boundary = boundaryPolicy(arn);
            principal(ref, new Overrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(boundary)),
                    List.of());
        }

        private void deleteBoundary(PrincipalRef ref) {
            target = Optional.of(ref.toString());
            principal(ref, new Overrides(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(Optional.empty())), List.of());
        }

        private void createPolicy() {
            String name = e.request("policyName").orElse("?");
            String arn = e.response("policy", "arn").orElse("policy " + name);
            target = Optional.of(arn);
            requestDocument("policyDocument", name, SourcedPolicy.Origin.STANDALONE, PolicyKind.IDENTITY)
                    .ifPresentOrElse(p -> evaluate(new Subject(arn, Optional.of(arn), Subject.Type.POLICY, Optional.empty(),
                                    List.of(p), Optional.empty())),
                            () -> findings.add(unverified.unverified(e, "policy `" + name + "`", "the event carries no document")));
        }

        private void createPolicyVersion() {
            String arn = e.request("policyArn").orElse("?");
            String version = e.response("policyVersion", "versionId").orElse("new version");
            target = Optional.of(arn + " " + version);
            boolean isDefault = e.request("setAsDefault").map("true"::equalsIgnoreCase).orElse(false);
            Optional<SourcedPolicy> doc = requestDocument("policyDocument", arn + " " + version,
                    SourcedPolicy.Origin.MANAGED, PolicyKind.IDENTITY);
            if (doc.isEmpty()) {
                findings.add(unverified.unverified(e, "version " + version + " of `" + arn + "`", "the event carries no document"));
                return;
            }
            List<Finding> before = new ArrayList<>(findings);
            evaluate(new Subject(arn, Optional.of(arn), Subject.Type.POLICY, Optional.empty(), List.of(doc.get()), Optional.empty()));
            if (!isDefault) {
                // Not in effect until set as default (SetDefaultPolicyVersion is watched too): one step lower.
                List<Finding> added = new ArrayList<>(findings.subList(before.size(), findings.size()));
                findings.subList(before.size(), findings.size()).clear();
                for (Finding f : added) {
                    findings.add(lowered(f, "version " + version + " is not the default version, so not in effect yet"));
                }
                notes.add("version " + version + " was created without setAsDefault: it takes effect only when set as default");
            }
            previousVersionDiff(arn, version, doc.get(), isDefault);
            if (isDefault) {
                attachedEntities(arn);
            }
        }

        private void setDefaultVersion() {
            String arn = e.request("policyArn").orElse("?");
            String version = e.request("versionId").orElse("?");
            target = Optional.of(arn + " " + version);
            ManagedPolicy policy;
            try {
                policy = state.managedPolicy(arn, Optional.of(version));
            } catch (LookupFailed failed) {
                findings.add(unverified.unverified(e, "version " + version + " of `" + arn + "`", failed.getMessage()));
                return;
            }
            SourcedPolicy doc = new SourcedPolicy("live: " + arn + " " + version, arn + " " + version,
                    SourcedPolicy.Origin.MANAGED, parsedManaged.of(policy));
            evaluate(new Subject(arn, Optional.of(arn), Subject.Type.POLICY, Optional.empty(), List.of(doc), Optional.empty()));
            previousVersionDiff(arn, version, doc, true);
            attachedEntities(arn);
        }

        private void addUserToGroup() {
            String group = e.request("groupName").orElse("?");
            target = Optional.of("user " + e.request("userName").orElse("?") + " in group " + group);
            PrincipalRef ref = new PrincipalRef(PrincipalRef.Kind.GROUP, group);
            try {
                Subject subject = live(ref, Overrides.NONE);
                List<SourcedPolicy> granting = subject.permissions().stream()
                        .filter(p -> p.document().isPresent()).toList();
                if (!granting.isEmpty()) {
                    Permissions p = Permissions.of(engine.catalog(), granting, Optional.empty());
                    privilegedGroup = Privilege.assess(p, engine.knowledge());
                }
            } catch (LookupFailed failed) {
                findings.add(unverified.unverified(e, "the permissions of group `" + group + "`", failed.getMessage()));
            }
        }

        /** A reversal or takeover change: read what the rules about the change need. */
        private void watched() {
            WatchList.Result read = WatchList.read(e, config, new WatchList.Reads() {
                @Override
                public Optional<SourcedPolicy> managed(String arn) {
                    return Run.this.managed(arn, SourcedPolicy.Origin.MANAGED);
                }

                @Override
                public Subject principal(PrincipalRef ref) throws LookupFailed {
                    return live(ref, Overrides.NONE);
                }

                @Override
                public Optional<String> privileged(Subject s) {
                    List<SourcedPolicy> granting = s.permissions().stream().filter(p -> p.document().isPresent()).toList();
                    return granting.isEmpty() ? Optional.empty()
                            : Privilege.assess(Permissions.of(engine.catalog(), granting, s.boundary()), engine.knowledge());
                }

                @Override
                public void unverified(String what, String why) {
                    findings.add(unverified.unverified(e, what, why));
                }
            });
            target = read.target();
            watch = read.facts();
        }

        // ---- shared steps ----

        /**
         * Evaluates the principal as IAM has it, with the change applied; when the live state cannot be read, the
         * changed documents alone, and a note that says so.
         */
        private void principal(PrincipalRef ref, Overrides overrides, List<SourcedPolicy> changed) {
            try {
                evaluate(live(ref, overrides));
            } catch (LookupFailed failed) {
                notes.add("live state of " + ref + " could not be read (" + failed.getMessage()
                        + "): evaluated the change from the event alone");
                Subject.Type type = SubjectReader.type(ref);
                Optional<SourcedPolicy> trust = changed.stream().filter(p -> p.origin() == SourcedPolicy.Origin.TRUST).findFirst();
                List<SourcedPolicy> permissions = changed.stream().filter(p -> p.origin() != SourcedPolicy.Origin.TRUST).toList();
                Optional<SourcedPolicy> boundary = overrides.boundary().flatMap(b -> b);
                if (trust.isEmpty() && permissions.isEmpty() && boundary.isEmpty()) {
                    boolean alreadyReported = findings.stream().anyMatch(f -> f.ruleId().equals(UnverifiedChangeRule.META.id()));
                    if (overrides.boundary().isEmpty() && !alreadyReported) {
                        findings.add(unverified.unverified(e, "the change to " + ref, failed.getMessage()));
                    }
                    return;
                }
                evaluate(new Subject(arnOf(ref), Optional.of(arnOf(ref)), type, trust, permissions, boundary));
            }
        }

        private Subject live(PrincipalRef ref, Overrides overrides) throws LookupFailed {
            PrincipalState s = state.principal(ref);
            if (targetRef().filter(ref::equals).isPresent()) {
                liveArn = Optional.of(s.arn());
            }
            if (s.isServiceLinked()) {
                notes.add(ref + " is a service-linked role: its policies are AWS's");
            }
            return reader.read(s, againstLive(ref, s, overrides), this::managed, notes::add);
        }

        /**
         * The live state decides what the principal holds: a document in the event that IAM does not have (a later
         * change overwrote it, or the event was never CloudTrail's: anyone who may invoke the function can forge
         * one) is not judged in place of IAM's. A change IAM does not show at all (undone since, not yet visible, or
         * forged) is still judged from the event, and the alert says it is not visible live.
         */
        private Overrides againstLive(PrincipalRef ref, PrincipalState s, Overrides overrides) {
            Optional<SourcedPolicy> inline = overrides.inline();
            if (inline.isPresent()) {
                String liveDocument = s.inlinePolicies().get(inline.get().name());
                if (liveDocument == null) {
                    notes.add(notVisible("the inline policy `" + inline.get().name() + "` of " + ref));
                } else if (!sameDocument(liveDocument, e.request("policyDocument"))) {
                    notes.add(differs("the inline policy `" + inline.get().name() + "` of " + ref));
                    inline = Optional.empty();
                }
            }
            Optional<SourcedPolicy> trust = overrides.trust();
            if (trust.isPresent() && s.trustPolicy().isPresent()
                    && !sameDocument(s.trustPolicy().get(), e.request("policyDocument"))) {
                notes.add(differs("the trust policy of " + ref));
                trust = Optional.empty();
            }
            if (overrides.attachedArn().isPresent() && !s.attachedPolicyArns().contains(overrides.attachedArn().get())) {
                notes.add(notVisible("`" + overrides.attachedArn().get() + "` attached to " + ref));
            }
            return new Overrides(inline, trust, overrides.attachedArn(), overrides.boundary());
        }

        private static String notVisible(String what) {
            return what + " is not visible in IAM now (undone since, not yet visible, or an event CloudTrail never"
                    + " sent): judged from the event's copy; check IAM before acting";
        }

        private static String differs(String what) {
            return "the event's document for " + what + " is not what IAM has now (changed again since, or an event"
                    + " CloudTrail never sent): judged IAM's document";
        }

        /** A managed policy's default document: snapshot or live; an unreadable one is reported, not ignored. */
        private Optional<SourcedPolicy> managed(String arn, SourcedPolicy.Origin origin) {
            try {
                ManagedPolicy p = defaultVersions.get(arn);
                if (p == null) {
                    p = state.managedPolicy(arn, Optional.empty());
                    defaultVersions.put(arn, p);
                }
                return Optional.of(new SourcedPolicy(arn + " " + p.versionId(), policyName(arn), origin,
                        parsedManaged.of(p)));
            } catch (LookupFailed failed) {
                findings.add(unverified.unverified(e, "managed policy `" + arn + "`", failed.getMessage()));
                return Optional.empty();
            }
        }

        private Optional<SourcedPolicy> boundaryPolicy(String arn) {
            return managed(arn, SourcedPolicy.Origin.BOUNDARY)
                    .map(p -> new SourcedPolicy(p.source(), p.name(), SourcedPolicy.Origin.BOUNDARY, p.parsed()));
        }

        /** The principals a changed customer-managed policy is attached to, each evaluated with it. */
        private void attachedEntities(String arn) {
            List<PrincipalRef> entities;
            try {
                entities = state.entitiesForPolicy(arn, MAX_ENTITIES + 1);
            } catch (LookupFailed failed) {
                notes.add("the principals `" + arn + "` is attached to could not be listed (" + failed.getMessage() + ")");
                return;
            }
            int shown = Math.min(entities.size(), MAX_ENTITIES);
            for (PrincipalRef ref : entities.subList(0, shown)) {
                try {
                    evaluate(live(ref, Overrides.NONE));
                } catch (LookupFailed failed) {
                    notes.add("live state of " + ref + " could not be read (" + failed.getMessage() + ")");
                }
            }
            if (!entities.isEmpty()) {
                notes.add("attached to " + String.join(", ", entities.subList(0, shown).stream().map(Object::toString).toList())
                        + (entities.size() > MAX_ENTITIES ? " and more" : ""));
            }
        }

        /**
         * What the new version allows that the previous version (the newest other one) did not, and a Deny of the
         * previous version the new one drops when the new one is in effect.
         */
        private void previousVersionDiff(String arn, String version, SourcedPolicy current, boolean inEffect) {
            List<String> versions;
            try {
                versions = state.policyVersions(arn);
            } catch (LookupFailed failed) {
                notes.add("no previous version to compare with (" + failed.getMessage() + ")");
                return;
            }
            // Without the new version's id (a redacted response), the new version is the newest one listed.
            Optional<String> previous = versions.contains(version)
                    ? versions.stream().filter(v -> !v.equals(version)).findFirst()
                    : versions.stream().skip(1).findFirst();
            if (previous.isEmpty()) {
                return;
            }
            try {
                ManagedPolicy old = state.managedPolicy(arn, previous);
                SourcedPolicy before = new SourcedPolicy(arn + " " + previous.get(), arn, SourcedPolicy.Origin.MANAGED,
                        parsedManaged.of(old));
                newAccess.addAll(NewAccess.between(engine.catalog(), before, current));
                if (inEffect) {
                    watch = WatchList.droppedDeny(before, current, "`" + arn + "` " + previous.get());
                }
                // IAM does not record which version was the default before: the newest other version stands in.
                String basis = "compared with " + previous.get() + ", the newest other version (IAM does not record"
                        + " which version was the default before)";
                notes.add(newAccess.isEmpty() ? basis + ": nothing new against it" : basis);
            } catch (LookupFailed failed) {
                notes.add("previous version " + previous.get() + " could not be read (" + failed.getMessage() + ")");
            }
        }

        private void evaluate(Subject subject) {
            judged(engine.evaluate(subject), findings, suppressed);
        }

        private Optional<SourcedPolicy> requestDocument(String field, String name, SourcedPolicy.Origin origin,
                                                        PolicyKind kind) {
            // The request copy is raw JSON in the caller's formatting: never URL-decode it.
            return e.request(field).map(doc -> new SourcedPolicy("requestParameters." + field, name, origin,
                    PolicyParser.parse(doc, kind)));
        }

        private PrincipalRef refOf(String eventName) {
            if (eventName.contains("Role")) {
                return new PrincipalRef(PrincipalRef.Kind.ROLE, e.request("roleName").orElse("?"));
            }
            if (eventName.contains("Group")) {
                return new PrincipalRef(PrincipalRef.Kind.GROUP, e.request("groupName").orElse("?"));
            }
            return new PrincipalRef(PrincipalRef.Kind.USER, e.request("userName").orElse("?"));
        }
    }

    /** A report's findings as the evaluator keeps them: the engine has judged them already (its {@code Judgement}). */
    static void judged(Report r, List<Finding> kept, List<Report.Suppressed> suppressed) {
        kept.addAll(r.findings());
        suppressed.addAll(r.suppressed());
    }

    /**
     * The live document is the event's copy, whatever IAM did to its formatting. Read with the policy reader, not a
     * Jackson object mapper: the mapper's classes were this function's largest single cost at start (about 400
     * classes, 150 ms before the first event).
     */
    static boolean sameDocument(String live, Optional<String> fromEvent) {
        return fromEvent.isPresent() && NodeReader.sameDocument(live, fromEvent.get());
    }


    private static String policyName(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    private static Finding lowered(Finding f, String why) {
        Severity s = f.severity().lower();
        return new Finding(f.ruleId(), f.key(), s, f.title(), f.message() + " (" + why + ")", f.remediation(), f.source(),
                f.principal(), f.location(), Optional.of(why), f.related());
    }

    /** The same finding reached twice for the same principal is kept once; each principal keeps its own. */
    private static List<Finding> distinct(List<Finding> findings) {
        Map<String, Finding> out = new LinkedHashMap<>();
        for (Finding f : findings) {
            out.putIfAbsent(f.key() + "|" + f.source() + "|" + f.location().pointer() + "|" + f.message() + "|"
                    + f.principal().orElse(""), f);
        }
        return new ArrayList<>(out.values());
    }


}
