package io.iamguardrail.pipeline;

import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.state.IamState;
import io.iamguardrail.state.LookupFailed;
import io.iamguardrail.state.PrincipalRef;
import io.iamguardrail.state.PrincipalState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A principal as IAM has it, with its trust, inline, attached and group policies and its boundary, made into the
 * engine's {@link Subject}: one reading for the evaluator and for the remediation's checks before and after it acts.
 */
final class SubjectReader {

    static final int MAX_GROUPS = 10;

    /** A managed policy's document as the reader should use it (the default version, or a version about to be set). */
    interface Managed {
        Optional<SourcedPolicy> of(String arn, SourcedPolicy.Origin origin);
    }

    private final IamState state;

    SubjectReader(IamState state) {
        this.state = state;
    }

    Subject read(PrincipalState s, Overrides overrides, Managed managed, Consumer<String> note) throws LookupFailed {
        PrincipalRef ref = s.ref();
        Optional<SourcedPolicy> trust = overrides.trust().or(() -> s.trustPolicy().map(t -> new SourcedPolicy(
                "live: " + ref + " trust policy", "trust policy", SourcedPolicy.Origin.TRUST,
                PolicyParser.parse(t, PolicyKind.TRUST))));
        List<SourcedPolicy> permissions = new ArrayList<>();
        Map<String, String> inline = new LinkedHashMap<>(s.inlinePolicies());
        overrides.inline().ifPresent(p -> inline.remove(p.name()));
        inline.forEach((name, doc) -> permissions.add(new SourcedPolicy("live: " + ref + " inline policy " + name,
                name, SourcedPolicy.Origin.INLINE, PolicyParser.parse(doc, PolicyKind.IDENTITY))));
        overrides.inline().ifPresent(permissions::add);
        Set<String> attached = new LinkedHashSet<>(s.attachedPolicyArns());
        overrides.attachedArn().ifPresent(attached::add);
        for (String arn : attached) {
            managed.of(arn, SourcedPolicy.Origin.MANAGED).ifPresent(permissions::add);
        }
        int groups = 0;
        for (String group : s.groups()) {
            if (++groups > MAX_GROUPS) {
                note.accept("only the first " + MAX_GROUPS + " of " + s.groups().size() + " groups were evaluated");
                break;
            }
            PrincipalState g = state.principal(new PrincipalRef(PrincipalRef.Kind.GROUP, group));
            g.inlinePolicies().forEach((name, doc) -> permissions.add(new SourcedPolicy("live: group " + group
                    + " inline policy " + name, group + "/" + name, SourcedPolicy.Origin.GROUP,
                    PolicyParser.parse(doc, PolicyKind.IDENTITY))));
            for (String arn : g.attachedPolicyArns()) {
                managed.of(arn, SourcedPolicy.Origin.GROUP).ifPresent(permissions::add);
            }
        }
        Optional<SourcedPolicy> boundary = overrides.boundary().isPresent() ? overrides.boundary().get()
                : s.boundaryArn().flatMap(arn -> managed.of(arn, SourcedPolicy.Origin.BOUNDARY)
                .map(p -> new SourcedPolicy(p.source(), p.name(), SourcedPolicy.Origin.BOUNDARY, p.parsed())));
        return new Subject(s.arn(), Optional.of(s.arn()), type(ref), trust, permissions, boundary);
    }

    static Subject.Type type(PrincipalRef ref) {
        return switch (ref.kind()) {
            case ROLE -> Subject.Type.ROLE;
            case USER -> Subject.Type.USER;
            case GROUP -> Subject.Type.GROUP;
        };
    }
}
