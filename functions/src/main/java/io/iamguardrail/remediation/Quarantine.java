package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static io.iamguardrail.remediation.ActionWords.aws;
import static io.iamguardrail.remediation.ActionWords.cli;
import static io.iamguardrail.remediation.ActionWords.nameFlag;
import static io.iamguardrail.remediation.ActionWords.noun;

/** Attach the stack's deny-all policy and tag the principal with the event id (groups cannot be tagged). */
public record Quarantine(PrincipalRef on, String quarantinePolicyArn) implements RemediationAction {

    public static final String TAG = "iam-guardrail:quarantined";
    static final String KIND = "QUARANTINE";

    public String kind() {
        return KIND;
    }

    public String target() {
        return on.toString();
    }

    public String describe() {
        return "quarantine " + on + ": attach " + quarantinePolicyArn + (taggable() ? " and tag it " + TAG : "");
    }

    public Optional<PrincipalRef> principal() {
        return Optional.of(on);
    }

    private boolean taggable() {
        return on.kind() != PrincipalRef.Kind.GROUP;
    }

    public Set<Grant> grants() {
        // GetPolicy and GetPolicyVersion: the quarantine policy's default document is verified before attaching.
        Set<Grant> g = new TreeSet<>(Set.of(Grant.on(on, "iam:Get" + noun(on)),
                Grant.on(on, "iam:ListAttached" + noun(on) + "Policies"), Grant.on(on, "iam:Attach" + noun(on) + "Policy"),
                Grant.onPolicy("iam:GetPolicy"), Grant.onPolicy("iam:GetPolicyVersion")));
        if (taggable()) {
            g.add(Grant.on(on, "iam:Tag" + noun(on)));
            g.add(Grant.on(on, "iam:List" + noun(on) + "Tags"));
        }
        return g;
    }

    public List<String> undoCommands() {
        String detach = aws("detach-" + cli(on) + "-policy", nameFlag(on), on.name(), "--policy-arn", quarantinePolicyArn);
        return taggable() ? List.of(detach, aws("untag-" + cli(on), nameFlag(on), on.name(), "--tag-keys", TAG))
                : List.of(detach);
    }

    public Lifecycle.Prepared prepare(Lifecycle.Context c, String eventId, Optional<String> chosen) throws Lifecycle.Noop {
        IamPort iam = c.iam();
        Lifecycle.requirePrincipal(iam, on);
        if (iam.attachedPolicies(on).contains(quarantinePolicyArn)) {
            throw new Lifecycle.Noop(on + " is already quarantined");
        }
        // Before every attach: a quarantine policy someone rewrote would quarantine nothing and report DONE.
        Optional<String> tampered = QuarantineDocument.problem(iam.defaultDocument(quarantinePolicyArn));
        if (tampered.isPresent()) {
            throw new Lifecycle.Refused("the quarantine policy " + quarantinePolicyArn + " was tampered with ("
                    + tampered.get() + "): not attached; redeploy the stack to restore it, then quarantine "
                    + on + " by hand");
        }
        boolean taggable = taggable();
        return new Lifecycle.Prepared(this, ActionWords.values(on, "policyArn", quarantinePolicyArn, "tagKey", TAG,
                "tagValue", eventId), () -> {
            iam.attachPolicy(on, quarantinePolicyArn);
            if (taggable) {
                iam.tag(on, TAG, eventId);
            }
        }, () -> iam.attachedPolicies(on).contains(quarantinePolicyArn)
                && (!taggable || iam.tag(on, TAG).orElse("").equals(eventId)),
                "quarantined " + on + ": attached " + quarantinePolicyArn + (taggable ? ", tagged " + TAG + "=" + eventId : ""));
    }

    public Lifecycle.Restoring restoring(Backup.Entry e, IamPort iam) {
        String key = e.value("tagKey");
        if (iam.principal(on).isEmpty()) {
            return Lifecycle.Restoring.gone(on + " no longer exists");
        }
        boolean attached = iam.attachedPolicies(on).contains(quarantinePolicyArn);
        Optional<String> tag = taggable() ? iam.tag(on, key) : Optional.empty();
        if (!attached && tag.isEmpty()) {
            return Lifecycle.Restoring.inPlace(on + " is not quarantined");
        }
        return Lifecycle.Restoring.ready(() -> {
            if (attached) {
                iam.detachPolicy(on, quarantinePolicyArn);
            }
            if (tag.isPresent()) {
                iam.untag(on, key);
            }
        });
    }

    public String restored(Backup.Entry e) {
        return "lifted the quarantine of " + on;
    }

    static Quarantine fromBackup(Backup.Entry e) {
        return new Quarantine(BackupEntries.ref(e), e.value("policyArn"));
    }

    static List<RemediationAction> examples() {
        return Examples.onEveryPrincipal(ref -> new Quarantine(ref, "arn:aws:iam::123456789012:policy/quarantine"));
    }
}
