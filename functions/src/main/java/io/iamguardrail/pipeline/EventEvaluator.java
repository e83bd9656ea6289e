package io.iamguardrail.pipeline;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.change.ChangeDecoder;
import io.iamguardrail.change.EventKind.Handling;
import io.iamguardrail.change.EventKind;
import io.iamguardrail.change.IamChange;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.Privilege;
import io.iamguardrail.engine.Report;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.remediation.OwnChange;
import io.iamguardrail.remediation.OwnChanges;
import io.iamguardrail.rules.Rules;
import io.iamguardrail.state.IamState;
import io.iamguardrail.state.LookupFailed;
import io.iamguardrail.state.PrincipalRef;
import io.iamguardrail.tamper.OwnStack;

import java.util.ArrayList;
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

    /** The calls judged on their own: evaluated, or read for the rules about the change. */
    public static final Set<String> HANDLED = Stream.concat(EventKind.names(Handling.EVALUATED).stream(),
            EventKind.names(Handling.WATCHED).stream()).collect(Collectors.toUnmodifiableSet());

    private final IamState state;
    private final GuardrailConfig config;
    private final GuardrailIdentity guardrail;
    private final Map<String, Engine> engines = new ConcurrentHashMap<>();
    private final List<EventRule> eventRules = Rules.events();
    private final ParsedManagedPolicies parsedManaged = new ParsedManagedPolicies();
    private final SubjectReader reader;
    private final OwnStack stack;
    /**
     * The events of the batch being judged: IAM is read after all of them, so a change's "before" leaves out the
     * others' changes to the same principal too, or two changes that each open one path would hide it from each other.
     */
    private List<Batched> batch = List.of();

    /** An event of the batch, its change decoded once for all the others. */
    private record Batched(String eventId, IamChange change) {
    }

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

    /** The batch now judged, event by event ({@link #batch}); empty outside a batch. */
    public void batch(List<CloudTrailEvent> events) {
        this.batch = events.stream().map(e -> new Batched(e.eventId(), ChangeDecoder.decode(e))).toList();
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
        IamChange change = ChangeDecoder.decode(e);
        Optional<Handling> handling = change.kind().map(EventKind::handling);
        if (tampered.isEmpty() && change instanceof IamChange.ResourcePolicySet resource) {
            return ResourcePolicyChange.evaluate(engineFor(e.account()), e, resource.call(), config.alertThreshold());
        }
        boolean handled = handling.filter(h -> h == Handling.EVALUATED || h == Handling.WATCHED).isPresent();
        Run run = new Run(e, change, misuse);
        if (tampered.isPresent() && !handled) {
            // Not added through the configuration: it lives in the function's environment, which is one of the
            // things a tamperer changes.
            run.evidence.target = change.principal().map(PrincipalRef::toString)
                    .or(() -> Optional.of(((OwnStack.Tampered) own.get()).what().describe()));
            run.ruleAboutTheChange();
            run.evidence.findings.add(tampered.get());
            return run.decide();
        }
        if (!handled && (e.actor().isRoot() || misuse) && !isReadOnly(e.eventName())) {
            // The root user, or someone with the guardrail's role, changing IAM is worth an alert whatever the
            // change: judge the actor alone.
            run.evidence.target = change.principal().map(PrincipalRef::toString);
            run.ruleAboutTheChange();
            return run.decide();
        }
        if (handling.filter(Handling.RECORDED::equals).isPresent()) {
            return new Decision(e.eventId(), e.eventName(), Verdict.NO_ALERT, "access reduced: recorded, not alerted",
                    Optional.empty(), List.of(), List.of(), List.of(), Optional.of(e));
        }
        if (!handled) {
            return Decision.skipped(e, "event not handled: `" + e.eventName() + "`");
        }
        run.evidence.target = Optional.of(change.shown());
        run.read();
        run.ruleAboutTheChange();
        tampered.ifPresent(run.evidence.findings::add);
        return run.decide();
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

    /** One event's evaluation: the change read into evidence, then the rules about the change. */
    private final class Run {
        private final CloudTrailEvent e;
        private final IamChange change;
        /** The change was made with a guardrail role without the guardrail's record of it. */
        private final boolean misuse;
        private final Evidence evidence = new Evidence();
        private final LiveReading reading;

        Run(CloudTrailEvent e, IamChange change, boolean misuse) {
            this.e = e;
            this.change = change;
            this.misuse = misuse;
            this.reading = new LiveReading(e, change, engineFor(e.account()), state, reader, parsedManaged, evidence,
                    batch.stream().filter(o -> !o.eventId().equals(e.eventId())).map(Batched::change).toList());
        }

        /** The state the change is judged on, by kind of change. */
        void read() {
            PrincipalChanges principals = new PrincipalChanges(reading);
            PolicyChanges policies = new PolicyChanges(reading);
            if (change.kind().map(EventKind::handling).filter(Handling.WATCHED::equals).isPresent()) {
                watched();
            } else if (change instanceof IamChange.InlinePolicyPut c) {
                principals.inlinePolicyPut(c);
            } else if (change instanceof IamChange.RoleCreated c) {
                principals.roleCreated(c);
            } else if (change instanceof IamChange.TrustUpdated c) {
                principals.trustUpdated(c);
            } else if (change instanceof IamChange.PolicyAttached c) {
                principals.policyAttached(c);
            } else if (change instanceof IamChange.BoundaryPut c) {
                principals.boundaryPut(c);
            } else if (change instanceof IamChange.BoundaryDeleted c) {
                principals.boundaryDeleted(c);
            } else if (change instanceof IamChange.GroupMembership c && !c.removed()) {
                principals.userAddedToGroup(c);
            } else if (change instanceof IamChange.PolicyCreated c) {
                policies.created(c);
            } else if (change instanceof IamChange.PolicyVersionCreated c) {
                policies.versionCreated(c);
            } else if (change instanceof IamChange.DefaultVersionSet c) {
                policies.defaultVersionSet(c);
            }
            // New users, credentials and identity providers: the rules about the change judge the event itself.
        }

        /** A reversal or takeover change: read what the rules about the change need. */
        private void watched() {
            WatchList.Result read = WatchList.read(change, config, new WatchList.Reads() {
                @Override
                public Optional<SourcedPolicy> managed(String arn) {
                    return reading.managed(arn, SourcedPolicy.Origin.MANAGED);
                }

                @Override
                public Subject principal(PrincipalRef ref) throws LookupFailed {
                    return reading.live(ref, Overrides.NONE);
                }

                @Override
                public Optional<String> privileged(Subject s) {
                    List<SourcedPolicy> granting = s.permissions().stream().filter(p -> p.document().isPresent()).toList();
                    return granting.isEmpty() ? Optional.empty() : Privilege.assess(Permissions.of(
                            reading.engine.catalog(), granting, s.boundary()), reading.engine.knowledge());
                }

                @Override
                public void unverified(String what, String why) {
                    reading.unverified(what, why);
                }
            });
            evidence.target = read.target();
            evidence.watch = read.facts();
            GroupPaths.watched(reading);
        }

        /** The rules about the change itself, configured with what an exemption may name for it. */
        void ruleAboutTheChange() {
            EventRule.Facts facts = new EventRule.Facts(evidence.privilegedGroup, misuse, evidence.watch);
            List<Finding> found = new ArrayList<>();
            for (EventRule rule : eventRules) {
                found.addAll(rule.check(e, facts));
            }
            evidence.findings.addAll(reading.engine.configure(found, exemptionNames(), evidence.suppressed));
        }

        /**
         * What an exemption may name for this change: the principal's ARN (live when read) and its name. Never the
         * target as shown, a policy name or the event id: whoever makes the change chooses those.
         */
        private List<String> exemptionNames() {
            List<String> names = new ArrayList<>();
            change.principal().ifPresent(ref -> {
                names.add(evidence.liveArn.orElse(reading.arnOf(ref)));
                names.add(ref.name());
            });
            return names;
        }

        Decision decide() {
            return evidence.decide(e, config.alertThreshold());
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
}
