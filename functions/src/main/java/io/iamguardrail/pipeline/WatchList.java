package io.iamguardrail.pipeline;

import io.iamguardrail.change.IamChange.GroupMembership;
import io.iamguardrail.change.IamChange.InlinePolicyDeleted;
import io.iamguardrail.change.IamChange.PolicyDetached;
import io.iamguardrail.change.IamChange.RoleAddedToInstanceProfile;
import io.iamguardrail.change.IamChange.TagsChanged;
import io.iamguardrail.change.IamChange;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.engine.WatchFacts;
import io.iamguardrail.policy.ActionPattern;
import io.iamguardrail.policy.ActionSpec;
import io.iamguardrail.policy.Condition;
import io.iamguardrail.policy.Effect;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.ResourceSpec;
import io.iamguardrail.policy.Statement;
import io.iamguardrail.remediation.Quarantine;
import io.iamguardrail.state.LookupFailed;
import io.iamguardrail.state.PrincipalRef;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The changes that add access without granting anything (a Deny or a quarantine taken away) and the account-takeover
 * changes (identity providers, credentials, MFA, instance profiles, session length, tags): what to read from IAM to
 * judge each. The rules about the change then decide on what was read.
 */
final class WatchList {

    private static final String AWS_QUARANTINE = "AWSCompromisedKeyQuarantine";
    /** Condition keys through which a tag of a principal decides access (lower case, followed by the tag key). */
    private static final List<String> TAG_KEYS = List.of("aws:principaltag/", "aws:resourcetag/", "iam:resourcetag/");

    /** What the evaluator lends: its reads of IAM, which cache and report what cannot be read. */
    interface Reads {
        /** A managed policy's default version; an unreadable one is reported as unverified by the evaluator. */
        Optional<SourcedPolicy> managed(String arn);

        Subject principal(PrincipalRef ref) throws LookupFailed;

        /** Why the principal is privileged, or empty. */
        Optional<String> privileged(Subject subject);

        void unverified(String what, String why);
    }

    /** The change's target as shown, and the facts for the rules. */
    record Result(Optional<String> target, WatchFacts facts) {
    }

    private WatchList() {
    }

    static Result read(IamChange change, GuardrailConfig config, Reads reads) {
        Optional<String> target = Optional.of(change.shown());
        if (change instanceof PolicyDetached c) {
            return new Result(target, detached(c, config, reads));
        }
        if (change instanceof InlinePolicyDeleted c) {
            return new Result(target, inlineDeleted(c, reads));
        }
        if (change instanceof GroupMembership c && c.removed()) {
            return new Result(target, removedFromGroup(c, reads));
        }
        if (change instanceof RoleAddedToInstanceProfile c) {
            return new Result(target, instanceProfile(c, reads));
        }
        if (change instanceof TagsChanged c) {
            return new Result(target, tags(c, reads));
        }
        // Credentials, identity providers, MFA, key status and session length: the event alone tells the rules.
        return new Result(target, WatchFacts.NONE);
    }

    private static WatchFacts detached(PolicyDetached c, GuardrailConfig config, Reads reads) {
        String arn = c.policyArn();
        if (config.remediation().quarantinePolicyArn().filter(arn::equals).isPresent()) {
            return removedQuarantine("the guardrail's quarantine policy `" + arn + "`");
        }
        if (isAwsQuarantine(arn)) {
            return removedQuarantine("AWS's compromised-key quarantine policy `" + arn + "`");
        }
        return removedDeny(reads.managed(arn).flatMap(p -> deny(p, "`" + arn + "`")));
    }

    private static WatchFacts inlineDeleted(InlinePolicyDeleted c, Reads reads) {
        String policy = c.policyName();
        if (isAwsQuarantine(policy)) {
            return removedQuarantine("AWS's compromised-key quarantine policy `" + policy + "`");
        }
        // IAM no longer has the document and CloudTrail records only its name: never take it for one without a Deny.
        reads.unverified("the deleted inline policy `" + policy + "` of " + c.to(), "IAM no longer has it and the event"
                + " names it only; if it denied anything, that is allowed again");
        return WatchFacts.NONE;
    }

    private static WatchFacts removedFromGroup(GroupMembership c, Reads reads) {
        String group = c.group();
        try {
            Subject s = reads.principal(new PrincipalRef(PrincipalRef.Kind.GROUP, group));
            Optional<String> deny = s.permissions().stream().map(p -> deny(p, "`" + p.name() + "` of group `" + group + "`"))
                    .flatMap(Optional::stream).findFirst();
            return removedDeny(deny);
        } catch (LookupFailed failed) {
            reads.unverified("the policies of group `" + group + "`", failed.getMessage());
            return WatchFacts.NONE;
        }
    }

    private static WatchFacts instanceProfile(RoleAddedToInstanceProfile c, Reads reads) {
        try {
            Optional<String> why = reads.privileged(reads.principal(c.to()));
            return new WatchFacts(Optional.empty(), Optional.empty(), why, List.of());
        } catch (LookupFailed failed) {
            reads.unverified("the permissions of role `" + c.to().name() + "`", failed.getMessage());
            // Unknown is never taken for harmless: judged as a privileged role would be.
            return new WatchFacts(Optional.empty(), Optional.empty(),
                    Optional.of("its permissions could not be read (judged as if privileged)"), List.of());
        }
    }

    private static WatchFacts tags(TagsChanged c, Reads reads) {
        PrincipalRef ref = c.to();
        List<String> keys = c.keys();
        Optional<String> quarantine = c.removed() && keys.stream().anyMatch(Quarantine.TAG::equalsIgnoreCase)
                ? Optional.of("the guardrail's quarantine tag `" + Quarantine.TAG + "` of " + ref)
                : Optional.empty();
        List<String> conditions = new ArrayList<>();
        try {
            Subject s = reads.principal(ref);
            for (SourcedPolicy p : s.all()) {
                conditions.addAll(tagConditions(p, keys));
            }
        } catch (LookupFailed failed) {
            reads.unverified("the policies of " + ref + " (whether they decide on the changed tags)", failed.getMessage());
        }
        return new WatchFacts(Optional.empty(), quarantine, Optional.empty(), conditions);
    }

    /** The first Deny statement of a policy, as a phrase; empty when it denies nothing. */
    static Optional<String> deny(SourcedPolicy policy, String named) {
        if (policy.document().isEmpty()) {
            return Optional.empty();
        }
        for (Statement s : policy.document().get().statements()) {
            if (s.effect() == Effect.DENY) {
                return Optional.of("statement " + s.sid().map(id -> "`" + id + "` ").orElse("") + "(#" + (s.index() + 1)
                        + ") of " + named + " denies " + actions(s.actions()));
            }
        }
        return Optional.empty();
    }

    /**
     * A Deny of the previous version that the new version no longer has (same actions, resources and conditions,
     * whatever its Sid): making such a version the default removes the Deny as surely as detaching the policy.
     */
    static WatchFacts droppedDeny(SourcedPolicy before, SourcedPolicy after, String named) {
        if (before.document().isEmpty() || after.document().isEmpty()) {
            return WatchFacts.NONE;
        }
        Set<String> kept = new HashSet<>();
        after.document().get().statements().stream().filter(s -> s.effect() == Effect.DENY)
                .forEach(s -> kept.add(signature(s)));
        for (Statement s : before.document().get().statements()) {
            if (s.effect() == Effect.DENY && !kept.contains(signature(s))) {
                return removedDeny(Optional.of("statement " + s.sid().map(id -> "`" + id + "` ").orElse("") + "(#"
                        + (s.index() + 1) + ") of " + named + ", which denies " + actions(s.actions())
                        + ", is not in the new version"));
            }
        }
        return WatchFacts.NONE;
    }

    private static String signature(Statement s) {
        List<String> parts = new ArrayList<>();
        parts.add(s.actions() instanceof ActionSpec.Not ? "not-action" : "action");
        patterns(s.actions()).forEach(p -> parts.add(p.raw().toLowerCase(Locale.ROOT)));
        if (s.resources() instanceof ResourceSpec.Listed l) {
            l.patterns().forEach(r -> parts.add("resource " + r.value()));
        } else if (s.resources() instanceof ResourceSpec.Not n) {
            n.patterns().forEach(r -> parts.add("not-resource " + r.value()));
        }
        s.conditions().forEach(c -> parts.add(c.written() + " " + c.keyLower() + " " + c.values()));
        return String.join("|", parts.stream().sorted().toList());
    }

    private static String actions(ActionSpec spec) {
        List<ActionPattern> patterns = patterns(spec);
        List<String> shown = patterns.stream().limit(3).map(p -> "`" + p.raw() + "`").toList();
        String list = String.join(", ", shown) + (patterns.size() > 3 ? " and " + (patterns.size() - 3) + " more" : "");
        return spec instanceof ActionSpec.Not ? "everything but " + list : list;
    }

    /**
     * Where a policy of the principal reads one of the changed tags: a condition on the tag, or the tag as a policy
     * variable ({@code ${aws:PrincipalTag/team}}) in a condition value or a resource. Its trust policy is left out:
     * the tags a trust policy reads are the caller's, not the role's.
     */
    private static List<ActionPattern> patterns(ActionSpec spec) {
        return spec instanceof ActionSpec.Listed l ? l.patterns() : ((ActionSpec.Not) spec).patterns();
    }

    private static List<String> tagConditions(SourcedPolicy policy, List<String> keys) {
        List<String> out = new ArrayList<>();
        Optional<PolicyDocument> doc = policy.document();
        if (doc.isEmpty() || policy.origin() == SourcedPolicy.Origin.TRUST) {
            return out;
        }
        for (Statement s : doc.get().statements()) {
            String where = " in statement #" + (s.index() + 1) + " of " + label(policy);
            for (Condition c : s.conditions()) {
                readsTag(c.key(), keys).ifPresent(k -> out.add("`" + k + "`" + where));
                c.values().forEach(v -> variable(v, keys).ifPresent(k -> out.add("`" + k + "`" + where)));
            }
            if (s.resources() instanceof ResourceSpec.Listed listed) {
                listed.patterns().forEach(r -> variable(r.value(), keys).ifPresent(k -> out.add("`" + k + "`" + where)));
            }
        }
        return out.stream().distinct().toList();
    }

    /** The condition key when it is one of the tag keys under an ABAC prefix. */
    private static Optional<String> readsTag(String conditionKey, List<String> keys) {
        String lower = conditionKey.toLowerCase(Locale.ROOT);
        for (String prefix : TAG_KEYS) {
            if (lower.startsWith(prefix) && keys.stream().anyMatch(k -> k.toLowerCase(Locale.ROOT)
                    .equals(lower.substring(prefix.length())))) {
                return Optional.of(conditionKey);
            }
        }
        return Optional.empty();
    }

    /** A {@code ${aws:PrincipalTag/key}} policy variable of one of the tag keys in a value. */
    private static Optional<String> variable(String value, List<String> keys) {
        String lower = value.toLowerCase(Locale.ROOT);
        for (String k : keys) {
            String v = "${aws:principaltag/" + k.toLowerCase(Locale.ROOT) + "}";
            int at = lower.indexOf(v);
            if (at >= 0) {
                return Optional.of(value.substring(at, at + v.length()));
            }
        }
        return Optional.empty();
    }

    private static String label(SourcedPolicy p) {
        return switch (p.origin()) {
            case INLINE -> "inline policy `" + p.name() + "`";
            case TRUST -> "the trust policy";
            case BOUNDARY -> "the permissions boundary `" + p.name() + "`";
            case GROUP -> "group policy `" + p.name() + "`";
            default -> "`" + p.name() + "`";
        };
    }

    static boolean isAwsQuarantine(String arnOrName) {
        return arnOrName.substring(arnOrName.lastIndexOf('/') + 1).startsWith(AWS_QUARANTINE);
    }

    private static WatchFacts removedQuarantine(String what) {
        return new WatchFacts(Optional.empty(), Optional.of(what), Optional.empty(), List.of());
    }

    private static WatchFacts removedDeny(Optional<String> deny) {
        return new WatchFacts(deny, Optional.empty(), Optional.empty(), List.of());
    }
}
