package io.iamguardrail.pipeline;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.engine.WatchFacts;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.json.Node;
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

    /** Removals: access-increasing when what is removed denied something or was a quarantine. */
    static final Set<String> REMOVALS = Set.of("DetachRolePolicy", "DetachUserPolicy", "DetachGroupPolicy",
            "DeleteRolePolicy", "DeleteUserPolicy", "DeleteGroupPolicy", "RemoveUserFromGroup");

    static final Set<String> EVENTS = Set.of("DetachRolePolicy", "DetachUserPolicy", "DetachGroupPolicy",
            "DeleteRolePolicy", "DeleteUserPolicy", "DeleteGroupPolicy", "RemoveUserFromGroup", "UpdateAccessKey",
            "UpdateSAMLProvider", "AddClientIDToOpenIDConnectProvider", "UpdateOpenIDConnectProviderThumbprint",
            "CreateServiceSpecificCredential", "UploadSSHPublicKey", "UploadSigningCertificate", "DeactivateMFADevice",
            "DeleteVirtualMFADevice", "AddRoleToInstanceProfile", "UpdateRole", "TagRole", "TagUser", "UntagRole",
            "UntagUser");

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

    static Result read(CloudTrailEvent e, GuardrailConfig config, Reads reads) {
        String name = e.eventName();
        Optional<String> role = e.request("roleName");
        Optional<String> user = e.request("userName");
        return switch (name) {
            case "DetachRolePolicy", "DetachUserPolicy", "DetachGroupPolicy" -> detach(e, config, reads);
            case "DeleteRolePolicy", "DeleteUserPolicy", "DeleteGroupPolicy" -> deleteInline(e, reads);
            case "RemoveUserFromGroup" -> removeFromGroup(e, reads);
            case "AddRoleToInstanceProfile" -> instanceProfile(e, reads);
            case "TagRole", "TagUser", "UntagRole", "UntagUser" -> tags(e, reads);
            case "UpdateAccessKey" -> target("user " + user.or(() -> e.actor().selfUserName()).orElse("?")
                    + " access key " + e.request("accessKeyId").orElse("?"));
            case "UpdateSAMLProvider" -> target(e.request("sAMLProviderArn").orElse("?"));
            case "AddClientIDToOpenIDConnectProvider", "UpdateOpenIDConnectProviderThumbprint" ->
                    target(e.request("openIDConnectProviderArn").orElse("?"));
            case "DeleteVirtualMFADevice" -> target(e.request("serialNumber").orElse("?"));
            case "UpdateRole" -> target("role " + role.orElse("?"));
            default -> target("user " + user.or(() -> e.actor().selfUserName()).orElse("?"));
        };
    }

    private static Result target(String target) {
        return new Result(Optional.of(target), WatchFacts.NONE);
    }

    private static Result detach(CloudTrailEvent e, GuardrailConfig config, Reads reads) {
        PrincipalRef ref = ref(e);
        String arn = e.request("policyArn").orElse("?");
        Optional<String> target = Optional.of(ref + " policy " + arn);
        if (config.remediation().quarantinePolicyArn().filter(arn::equals).isPresent()) {
            return new Result(target, removedQuarantine("the guardrail's quarantine policy `" + arn + "`"));
        }
        if (isAwsQuarantine(arn)) {
            return new Result(target, removedQuarantine("AWS's compromised-key quarantine policy `" + arn + "`"));
        }
        Optional<String> deny = reads.managed(arn).flatMap(p -> deny(p, "`" + arn + "`"));
        return new Result(target, removedDeny(deny));
    }

    private static Result deleteInline(CloudTrailEvent e, Reads reads) {
        PrincipalRef ref = ref(e);
        String policy = e.request("policyName").orElse("?");
        Optional<String> target = Optional.of(ref + " inline policy " + policy);
        if (isAwsQuarantine(policy)) {
            return new Result(target, removedQuarantine("AWS's compromised-key quarantine policy `" + policy + "`"));
        }
        // IAM no longer has the document and CloudTrail records only its name: never take it for one without a Deny.
        reads.unverified("the deleted inline policy `" + policy + "` of " + ref, "IAM no longer has it and the event"
                + " names it only; if it denied anything, that is allowed again");
        return new Result(target, WatchFacts.NONE);
    }

    private static Result removeFromGroup(CloudTrailEvent e, Reads reads) {
        String group = e.request("groupName").orElse("?");
        Optional<String> target = Optional.of("user " + e.request("userName").orElse("?") + " out of group " + group);
        try {
            Subject s = reads.principal(new PrincipalRef(PrincipalRef.Kind.GROUP, group));
            Optional<String> deny = s.permissions().stream().map(p -> deny(p, "`" + p.name() + "` of group `" + group + "`"))
                    .flatMap(Optional::stream).findFirst();
            return new Result(target, removedDeny(deny));
        } catch (LookupFailed failed) {
            reads.unverified("the policies of group `" + group + "`", failed.getMessage());
            return new Result(target, WatchFacts.NONE);
        }
    }

    private static Result instanceProfile(CloudTrailEvent e, Reads reads) {
        String role = e.request("roleName").orElse("?");
        Optional<String> target = Optional.of("role " + role + " on instance profile "
                + e.request("instanceProfileName").orElse("?"));
        try {
            Optional<String> why = reads.privileged(reads.principal(new PrincipalRef(PrincipalRef.Kind.ROLE, role)));
            return new Result(target, new WatchFacts(Optional.empty(), Optional.empty(), why, List.of()));
        } catch (LookupFailed failed) {
            reads.unverified("the permissions of role `" + role + "`", failed.getMessage());
            // Unknown is never taken for harmless: judged as a privileged role would be.
            return new Result(target, new WatchFacts(Optional.empty(), Optional.empty(),
                    Optional.of("its permissions could not be read (judged as if privileged)"), List.of()));
        }
    }

    private static Result tags(CloudTrailEvent e, Reads reads) {
        PrincipalRef ref = ref(e);
        boolean untag = e.eventName().startsWith("Untag");
        List<String> keys = untag ? strings(e.requestParameters().get("tagKeys"), Optional.empty())
                : strings(e.requestParameters().get("tags"), Optional.of("key"));
        Optional<String> target = Optional.of(ref + " tags " + String.join(", ", keys));
        Optional<String> quarantine = untag && keys.stream().anyMatch(Quarantine.TAG::equalsIgnoreCase)
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
        return new Result(target, new WatchFacts(Optional.empty(), quarantine, Optional.empty(), conditions));
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

    /** The strings of an array (or the {@code field} of each object in it), as CloudTrail lists tags and tag keys. */
    private static List<String> strings(Node node, Optional<String> field) {
        List<String> out = new ArrayList<>();
        if (node instanceof Node.Arr arr) {
            for (Node item : arr.items()) {
                Node value = field.isPresent() && item instanceof Node.Obj o ? o.get(field.get()) : item;
                if (value instanceof Node.Str str && !str.value().isEmpty()) {
                    out.add(str.value());
                }
            }
        }
        return out;
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

    private static PrincipalRef ref(CloudTrailEvent e) {
        String name = e.eventName();
        if (name.contains("Role")) {
            return new PrincipalRef(PrincipalRef.Kind.ROLE, e.request("roleName").orElse("?"));
        }
        if (name.contains("Group")) {
            return new PrincipalRef(PrincipalRef.Kind.GROUP, e.request("groupName").orElse("?"));
        }
        return new PrincipalRef(PrincipalRef.Kind.USER, e.request("userName").orElse("?"));
    }
}
