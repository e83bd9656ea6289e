package io.iamguardrail.pipeline;

import io.iamguardrail.change.IamChange.BoundaryDeleted;
import io.iamguardrail.change.IamChange.BoundaryPut;
import io.iamguardrail.change.IamChange.GroupMembership;
import io.iamguardrail.change.IamChange.InlinePolicyPut;
import io.iamguardrail.change.IamChange.PolicyAttached;
import io.iamguardrail.change.IamChange.RoleCreated;
import io.iamguardrail.change.IamChange.TrustUpdated;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.Privilege;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.state.LookupFailed;
import io.iamguardrail.state.PrincipalRef;
import io.iamguardrail.state.PrincipalState;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Changes of one role, user or group: the principal is judged as IAM has it with the change applied. */
final class PrincipalChanges {

    private final LiveReading read;

    PrincipalChanges(LiveReading read) {
        this.read = read;
    }

    void inlinePolicyPut(InlinePolicyPut c) {
        Optional<SourcedPolicy> doc = read.requestDocument(c.document(), "policyDocument", c.policyName(),
                SourcedPolicy.Origin.INLINE, PolicyKind.IDENTITY);
        if (doc.isEmpty()) {
            read.unverified("the inline policy `" + c.policyName() + "` of " + c.to(), "the event carries no policy document");
            return;
        }
        read.principal(c.to(), new Overrides(doc, Optional.empty(), Optional.empty(), Optional.empty()), List.of(doc.get()));
    }

    void roleCreated(RoleCreated c) {
        PrincipalRef ref = c.to();
        Optional<SourcedPolicy> trust = read.requestDocument(c.trust(), "assumeRolePolicyDocument", "trust policy",
                SourcedPolicy.Origin.TRUST, PolicyKind.TRUST);
        if (trust.isEmpty()) {
            // The request copy may be redacted; the response copy is URL-encoded as IAM returns it.
            trust = c.encodedTrust().map(doc -> new SourcedPolicy("responseElements.role.assumeRolePolicyDocument",
                    "trust policy", SourcedPolicy.Origin.TRUST, PolicyParser.parseUrlEncoded(doc, PolicyKind.TRUST)));
        }
        if (trust.isEmpty()) {
            read.unverified("the trust policy of " + ref, "the event carries no document");
            return;
        }
        SourcedPolicy judgedTrust = liveTrust(c, trust.get());
        Optional<SourcedPolicy> boundary = c.boundaryArn().flatMap(read::boundaryPolicy);
        // A role being created has no permission policies yet: its trust (and boundary) is all there is. Its ARN as
        // IAM has it; the response's only when it names this role (a forged one could name an exempt role).
        String arn = read.evidence.liveArn.orElseGet(() -> c.createdArn()
                .filter(a -> a.contains(":role/") && a.endsWith("/" + ref.name())).orElse(read.arnOf(ref)));
        read.evaluate(new Subject(arn, Optional.of(arn), Subject.Type.ROLE, Optional.of(judgedTrust), List.of(), boundary));
    }

    /** A new role's trust as IAM has it now: a forged CreateRole cannot stand in for the role's real trust. */
    private SourcedPolicy liveTrust(RoleCreated c, SourcedPolicy fromEvent) {
        if (!read.state.live()) {
            return fromEvent;
        }
        Optional<String> eventText = c.trust().or(() -> c.encodedTrust()
                .map(d -> URLDecoder.decode(d, StandardCharsets.UTF_8)));
        try {
            PrincipalState role = read.state.principal(c.to());
            read.evidence.liveArn = Optional.of(role.arn());
            Optional<String> live = role.trustPolicy();
            if (live.isPresent() && !EventEvaluator.sameDocument(live.get(), eventText)) {
                read.evidence.notes.add(LiveReading.differs("the trust policy of " + c.to()));
                return new SourcedPolicy("live: " + c.to() + " trust policy", "trust policy", SourcedPolicy.Origin.TRUST,
                        PolicyParser.parse(live.get(), PolicyKind.TRUST));
            }
        } catch (LookupFailed failed) {
            read.evidence.notes.add(LiveReading.notVisible(c.to().toString()));
        }
        return fromEvent;
    }

    void trustUpdated(TrustUpdated c) {
        Optional<SourcedPolicy> trust = read.requestDocument(c.document(), "policyDocument", "trust policy",
                SourcedPolicy.Origin.TRUST, PolicyKind.TRUST);
        if (trust.isEmpty()) {
            read.unverified("the trust policy of " + c.to(), "the event carries no document");
            return;
        }
        read.principal(c.to(), new Overrides(Optional.empty(), trust, Optional.empty(), Optional.empty()),
                List.of(trust.get()));
    }

    void policyAttached(PolicyAttached c) {
        Optional<SourcedPolicy> attached = read.managed(c.policyArn(), SourcedPolicy.Origin.MANAGED);
        read.principal(c.to(), new Overrides(Optional.empty(), Optional.empty(), Optional.of(c.policyArn()),
                Optional.empty()), attached.map(List::of).orElse(List.of()));
    }

    void boundaryPut(BoundaryPut c) {
        Optional<SourcedPolicy> boundary = read.boundaryPolicy(c.boundaryArn());
        read.principal(c.to(), new Overrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(boundary)),
                List.of());
    }

    void boundaryDeleted(BoundaryDeleted c) {
        read.principal(c.to(), new Overrides(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(Optional.empty())), List.of());
    }

    /** Whether the group grants privileged access: the rule about the change decides on it. */
    void userAddedToGroup(GroupMembership c) {
        PrincipalRef group = new PrincipalRef(PrincipalRef.Kind.GROUP, c.group());
        try {
            Subject subject = read.live(group, Overrides.NONE);
            List<SourcedPolicy> granting = subject.permissions().stream().filter(p -> p.document().isPresent()).toList();
            if (!granting.isEmpty()) {
                Permissions p = Permissions.of(read.engine.catalog(), granting, Optional.empty());
                read.evidence.privilegedGroup = Privilege.assess(p, read.engine.knowledge());
            }
            GroupPaths.joined(read, c.to(), subject);
        } catch (LookupFailed failed) {
            read.unverified("the permissions of group `" + c.group() + "`", failed.getMessage());
        }
    }
}
