package io.iamguardrail.pipeline;

import io.iamguardrail.change.IamChange;
import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.rules.UnverifiedChangeRule;
import io.iamguardrail.state.IamState;
import io.iamguardrail.state.LookupFailed;
import io.iamguardrail.state.ManagedPolicy;
import io.iamguardrail.state.PrincipalRef;
import io.iamguardrail.state.PrincipalState;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The state an event's change is judged on: the principal as IAM has it with the change applied, or the event's own
 * copy when IAM cannot be read (and then a note says so). Reads are kept for the event: an attached policy is read
 * once, not once per use.
 */
final class LiveReading {

    final CloudTrailEvent e;
    final IamChange change;
    final Engine engine;
    final Evidence evidence;
    final IamState state;
    /** The other changes of the batch this event is judged in (IAM already shows them). */
    final List<IamChange> others;
    private final SubjectReader reader;
    private final ParsedManagedPolicies parsed;
    private final UnverifiedChangeRule unverified = new UnverifiedChangeRule();
    private final Map<String, ManagedPolicy> defaultVersions = new LinkedHashMap<>();

    LiveReading(CloudTrailEvent e, IamChange change, Engine engine, IamState state, SubjectReader reader,
                ParsedManagedPolicies parsed, Evidence evidence, List<IamChange> others) {
        this.others = List.copyOf(others);
        this.e = e;
        this.change = change;
        this.engine = engine;
        this.state = state;
        this.reader = reader;
        this.parsed = parsed;
        this.evidence = evidence;
    }

    /** What cannot be read or verified is a finding, never silence. */
    void unverified(String what, String why) {
        evidence.findings.add(unverified.unverified(e, what, why));
    }

    void evaluate(Subject subject) {
        EventEvaluator.judged(engine.evaluate(subject), evidence.findings, evidence.suppressed);
        NewPaths.check(this, subject);
    }

    ParsedManagedPolicies parsed() {
        return parsed;
    }

    /**
     * Evaluates the principal as IAM has it, with the change applied; when the live state cannot be read, the
     * changed documents alone, and a note that says so.
     */
    void principal(PrincipalRef ref, Overrides overrides, List<SourcedPolicy> changed) {
        try {
            evaluate(live(ref, overrides));
        } catch (LookupFailed failed) {
            evidence.notes.add("live state of " + ref + " could not be read (" + failed.getMessage()
                    + "): evaluated the change from the event alone");
            Optional<SourcedPolicy> trust = changed.stream().filter(p -> p.origin() == SourcedPolicy.Origin.TRUST).findFirst();
            List<SourcedPolicy> permissions = changed.stream().filter(p -> p.origin() != SourcedPolicy.Origin.TRUST).toList();
            Optional<SourcedPolicy> boundary = overrides.boundary().flatMap(b -> b);
            if (trust.isEmpty() && permissions.isEmpty() && boundary.isEmpty()) {
                boolean alreadyReported = evidence.findings.stream()
                        .anyMatch(f -> f.ruleId().equals(UnverifiedChangeRule.META.id()));
                if (overrides.boundary().isEmpty() && !alreadyReported) {
                    unverified("the change to " + ref, failed.getMessage());
                }
                return;
            }
            String arn = arnOf(ref);
            evaluate(new Subject(arn, Optional.of(arn), SubjectReader.type(ref), trust, permissions, boundary));
        }
    }

    Subject live(PrincipalRef ref, Overrides overrides) throws LookupFailed {
        PrincipalState s = state.principal(ref);
        if (change.principal().filter(ref::equals).isPresent()) {
            evidence.liveArn = Optional.of(s.arn());
        }
        if (s.isServiceLinked()) {
            evidence.notes.add(ref + " is a service-linked role: its policies are AWS's");
        }
        return reader.read(s, againstLive(ref, s, overrides), this::managed, evidence.notes::add);
    }

    /**
     * The live state decides what the principal holds: a document in the event that IAM does not have (a later
     * change overwrote it, or the event was never CloudTrail's: anyone who may invoke the function can forge one) is
     * not judged in place of IAM's. A change IAM does not show at all (undone since, not yet visible, or forged) is
     * still judged from the event, and the alert says it is not visible live.
     */
    private Overrides againstLive(PrincipalRef ref, PrincipalState s, Overrides overrides) {
        Optional<SourcedPolicy> inline = overrides.inline();
        if (inline.isPresent()) {
            String liveDocument = s.inlinePolicies().get(inline.get().name());
            if (liveDocument == null) {
                evidence.notes.add(notVisible("the inline policy `" + inline.get().name() + "` of " + ref));
            } else if (!EventEvaluator.sameDocument(liveDocument, e.request("policyDocument"))) {
                evidence.notes.add(differs("the inline policy `" + inline.get().name() + "` of " + ref));
                inline = Optional.empty();
            }
        }
        Optional<SourcedPolicy> trust = overrides.trust();
        if (trust.isPresent() && s.trustPolicy().isPresent()
                && !EventEvaluator.sameDocument(s.trustPolicy().get(), e.request("policyDocument"))) {
            evidence.notes.add(differs("the trust policy of " + ref));
            trust = Optional.empty();
        }
        if (overrides.attachedArn().isPresent() && !s.attachedPolicyArns().contains(overrides.attachedArn().get())) {
            evidence.notes.add(notVisible("`" + overrides.attachedArn().get() + "` attached to " + ref));
        }
        return new Overrides(inline, trust, overrides.attachedArn(), overrides.boundary());
    }

    static String notVisible(String what) {
        return what + " is not visible in IAM now (undone since, not yet visible, or an event CloudTrail never"
                + " sent): judged from the event's copy; check IAM before acting";
    }

    static String differs(String what) {
        return "the event's document for " + what + " is not what IAM has now (changed again since, or an event"
                + " CloudTrail never sent): judged IAM's document";
    }

    /** A managed policy's default document: snapshot or live; an unreadable one is reported, not ignored. */
    Optional<SourcedPolicy> managed(String arn, SourcedPolicy.Origin origin) {
        try {
            ManagedPolicy p = defaultVersions.get(arn);
            if (p == null) {
                p = state.managedPolicy(arn, Optional.empty());
                defaultVersions.put(arn, p);
            }
            return Optional.of(new SourcedPolicy(arn + " " + p.versionId(), arn.substring(arn.lastIndexOf('/') + 1),
                    origin, parsed.of(p)));
        } catch (LookupFailed failed) {
            unverified("managed policy `" + arn + "`", failed.getMessage());
            return Optional.empty();
        }
    }

    Optional<SourcedPolicy> boundaryPolicy(String arn) {
        return managed(arn, SourcedPolicy.Origin.BOUNDARY)
                .map(p -> new SourcedPolicy(p.source(), p.name(), SourcedPolicy.Origin.BOUNDARY, p.parsed()));
    }

    /** The request's copy of a document: raw JSON in the caller's formatting, never URL-decoded. */
    Optional<SourcedPolicy> requestDocument(Optional<String> document, String field, String name,
                                            SourcedPolicy.Origin origin, PolicyKind kind) {
        return document.map(doc -> new SourcedPolicy("requestParameters." + field, name, origin,
                PolicyParser.parse(doc, kind)));
    }

    /** The ARN of a principal of this event's account (path unknown: `/`). */
    String arnOf(PrincipalRef ref) {
        return "arn:aws:iam::" + e.account().orElse("") + ":" + ref.kind().name().toLowerCase(Locale.ROOT) + "/"
                + ref.name();
    }

    boolean reported(String ruleId) {
        return evidence.findings.stream().map(Finding::ruleId).anyMatch(ruleId::equals);
    }
}
