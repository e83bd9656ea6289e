package io.iamguardrail.pipeline;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.remediation.Assessor;
import io.iamguardrail.state.IamState;
import io.iamguardrail.state.LookupFailed;
import io.iamguardrail.state.ManagedPolicy;
import io.iamguardrail.state.PrincipalRef;
import io.iamguardrail.state.PrincipalState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The evaluator's judgement of a principal for the remediation: the same reading ({@link SubjectReader}), the same
 * engine and configuration, the same threshold, with a candidate document in place of the live one.
 */
public final class LiveAssessor implements Assessor {

    private final IamState state;
    private final EventEvaluator evaluator;
    private final SubjectReader reader;
    private final ParsedManagedPolicies parsed = new ParsedManagedPolicies();

    public LiveAssessor(IamState state, EventEvaluator evaluator) {
        this.state = state;
        this.evaluator = evaluator;
        this.reader = new SubjectReader(state);
    }

    @Override
    public List<String> risks(PrincipalRef ref, Candidate candidate) {
        try {
            PrincipalState s = state.principal(ref);
            Overrides overrides = Overrides.NONE;
            if (candidate instanceof Trust t) {
                overrides = new Overrides(Optional.empty(), Optional.of(new SourcedPolicy("candidate: " + ref
                        + " trust policy", "trust policy", SourcedPolicy.Origin.TRUST,
                        PolicyParser.parse(t.document(), PolicyKind.TRUST))), Optional.empty(), Optional.empty());
            }
            List<String> notes = new ArrayList<>();
            Subject subject = reader.read(s, overrides, (arn, origin) -> managed(arn, origin, candidate), notes::add);
            if (candidate instanceof PermissionsOnly) {
                subject = new Subject(subject.source(), subject.principal(), subject.type(), Optional.empty(),
                        subject.permissions(), subject.boundary());
            }
            // The principal's own account, from its ARN: the engine tells same-account trust from external trust by it.
            Engine engine = evaluator.engineFor(accountOf(s.arn()));
            List<Finding> kept = new ArrayList<>();
            EventEvaluator.judged(engine.evaluate(subject), kept, new ArrayList<Report.Suppressed>());
            Severity threshold = evaluator.config().alertThreshold();
            return kept.stream().filter(f -> f.severity().atLeast(threshold))
                    .map(f -> f.ruleId() + " (" + f.severity() + "): " + f.message()).distinct().toList();
        } catch (LookupFailed | RuntimeException failed) {
            throw new IllegalStateException(ref + " could not be judged: " + failed.getMessage(), failed);
        }
    }

    private static Optional<String> accountOf(String arn) {
        String[] parts = arn.split(":", -1);
        return parts.length > 4 ? Optional.of(parts[4]) : Optional.empty();
    }

    private Optional<SourcedPolicy> managed(String arn, SourcedPolicy.Origin origin, Candidate candidate) {
        Optional<String> version = candidate instanceof DefaultVersion v && v.policyArn().equals(arn)
                ? Optional.of(v.versionId()) : Optional.empty();
        try {
            ManagedPolicy p = state.managedPolicy(arn, version);
            return Optional.of(new SourcedPolicy(arn + " " + p.versionId(), arn.substring(arn.lastIndexOf('/') + 1),
                    origin, parsed.of(p)));
        } catch (LookupFailed failed) {
            // Judging without a policy the principal holds would understate it: nothing is written on that basis.
            throw new IllegalStateException("managed policy `" + arn + "` could not be read: " + failed.getMessage(), failed);
        }
    }

    @Override
    public List<PrincipalRef> attachedTo(String policyArn, int limit) {
        try {
            return state.entitiesForPolicy(policyArn, limit);
        } catch (LookupFailed failed) {
            throw new IllegalStateException("the principals `" + policyArn + "` is attached to could not be listed: "
                    + failed.getMessage(), failed);
        }
    }
}
