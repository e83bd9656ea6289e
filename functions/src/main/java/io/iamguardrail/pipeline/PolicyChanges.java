package io.iamguardrail.pipeline;

import io.iamguardrail.change.IamChange.DefaultVersionSet;
import io.iamguardrail.change.IamChange.PolicyCreated;
import io.iamguardrail.change.IamChange.PolicyVersionCreated;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.state.LookupFailed;
import io.iamguardrail.state.ManagedPolicy;
import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Optional;

/**
 * Changes of a customer managed policy: the document is judged alone, and when it is in effect, with every principal
 * it is attached to; what the version allows that the previous one did not is the reviewer's diff.
 */
final class PolicyChanges {

    static final int MAX_ENTITIES = 10;

    private final LiveReading read;

    PolicyChanges(LiveReading read) {
        this.read = read;
    }

    void created(PolicyCreated c) {
        String arn = c.shown();
        read.requestDocument(c.document(), "policyDocument", c.name(), SourcedPolicy.Origin.STANDALONE, PolicyKind.IDENTITY)
                .ifPresentOrElse(p -> read.evaluate(policy(arn, p)),
                        () -> read.unverified("policy `" + c.name() + "`", "the event carries no document"));
    }

    void versionCreated(PolicyVersionCreated c) {
        String arn = c.policyArn();
        String version = c.versionId().orElse("new version");
        Optional<SourcedPolicy> doc = read.requestDocument(c.document(), "policyDocument", arn + " " + version,
                SourcedPolicy.Origin.MANAGED, PolicyKind.IDENTITY);
        if (doc.isEmpty()) {
            read.unverified("version " + version + " of `" + arn + "`", "the event carries no document");
            return;
        }
        int mark = read.evidence.findings.size();
        read.evaluate(policy(arn, doc.get()));
        if (!c.setAsDefault()) {
            // Not in effect until set as default (SetDefaultPolicyVersion is watched too): one step lower.
            read.evidence.lowerSince(mark, "version " + version + " is not the default version, so not in effect yet");
            read.evidence.notes.add("version " + version + " was created without setAsDefault: it takes effect only when"
                    + " set as default");
        }
        previousVersionDiff(arn, version, doc.get(), c.setAsDefault());
        if (c.setAsDefault()) {
            attachedEntities(arn);
        }
    }

    void defaultVersionSet(DefaultVersionSet c) {
        String arn = c.policyArn();
        ManagedPolicy policy;
        try {
            policy = read.state.managedPolicy(arn, Optional.of(c.versionId()));
        } catch (LookupFailed failed) {
            read.unverified("version " + c.versionId() + " of `" + arn + "`", failed.getMessage());
            return;
        }
        SourcedPolicy doc = new SourcedPolicy("live: " + arn + " " + c.versionId(), arn + " " + c.versionId(),
                SourcedPolicy.Origin.MANAGED, read.parsed().of(policy));
        read.evaluate(policy(arn, doc));
        previousVersionDiff(arn, c.versionId(), doc, true);
        attachedEntities(arn);
    }

    private static Subject policy(String arn, SourcedPolicy doc) {
        return new Subject(arn, Optional.of(arn), Subject.Type.POLICY, Optional.empty(), List.of(doc), Optional.empty());
    }

    /** The principals a changed customer-managed policy is attached to, each evaluated with it. */
    private void attachedEntities(String arn) {
        List<PrincipalRef> entities;
        try {
            entities = read.state.entitiesForPolicy(arn, MAX_ENTITIES + 1);
        } catch (LookupFailed failed) {
            read.evidence.notes.add("the principals `" + arn + "` is attached to could not be listed ("
                    + failed.getMessage() + ")");
            return;
        }
        int shown = Math.min(entities.size(), MAX_ENTITIES);
        for (PrincipalRef ref : entities.subList(0, shown)) {
            try {
                read.evaluate(read.live(ref, Overrides.NONE));
            } catch (LookupFailed failed) {
                read.evidence.notes.add("live state of " + ref + " could not be read (" + failed.getMessage() + ")");
            }
        }
        if (!entities.isEmpty()) {
            read.evidence.notes.add("attached to " + String.join(", ", entities.subList(0, shown).stream()
                    .map(Object::toString).toList()) + (entities.size() > MAX_ENTITIES ? " and more" : ""));
        }
    }

    /**
     * What the new version allows that the previous version (the newest other one) did not, and a Deny of the
     * previous version the new one drops when the new one is in effect.
     */
    private void previousVersionDiff(String arn, String version, SourcedPolicy current, boolean inEffect) {
        List<String> versions;
        try {
            versions = read.state.policyVersions(arn);
        } catch (LookupFailed failed) {
            read.evidence.notes.add("no previous version to compare with (" + failed.getMessage() + ")");
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
            ManagedPolicy old = read.state.managedPolicy(arn, previous);
            SourcedPolicy before = new SourcedPolicy(arn + " " + previous.get(), arn, SourcedPolicy.Origin.MANAGED,
                    read.parsed().of(old));
            List<String> added = NewAccess.between(read.engine.catalog(), before, current);
            read.evidence.newAccess.addAll(added);
            if (inEffect) {
                read.evidence.watch = WatchList.droppedDeny(before, current, "`" + arn + "` " + previous.get());
            }
            // IAM does not record which version was the default before: the newest other version stands in.
            String basis = "compared with " + previous.get() + ", the newest other version (IAM does not record"
                    + " which version was the default before)";
            read.evidence.notes.add(read.evidence.newAccess.isEmpty() ? basis + ": nothing new against it" : basis);
        } catch (LookupFailed failed) {
            read.evidence.notes.add("previous version " + previous.get() + " could not be read (" + failed.getMessage() + ")");
        }
    }
}
