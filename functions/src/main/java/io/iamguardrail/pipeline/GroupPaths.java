package io.iamguardrail.pipeline;

import io.iamguardrail.change.IamChange;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.state.LookupFailed;
import io.iamguardrail.state.PrincipalRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Paths that group membership opens: a user added to a group acts with the group's policies from then on, and a
 * change to a group's policies reaches every member. Each user is judged as IAM has it now, against itself
 * without the group's part (the membership) or without the changed document (the group's policy); a group's members
 * are read within a bound, and the finding says when some were left out. Removing a group's policy can open a path
 * only when that policy denied something.
 */
final class GroupPaths {

    /** At most this many members of a changed group are judged per event: each is a lookup, and its neighbours more. */
    static final int MAX_MEMBERS = 5;

    private GroupPaths() {
    }

    /** A user added to {@code group}: the group's policies, as IAM has them, are what the user gains. */
    static void joined(LiveReading read, PrincipalRef user, Subject group) {
        Subject now;
        try {
            now = read.live(user, Overrides.NONE);
        } catch (LookupFailed failed) {
            read.evidence.notes.add("paths: " + user + " could not be read (" + failed.getMessage() + ")");
            return;
        }
        List<SourcedPolicy> lent = group.permissions().stream().map(p -> new SourcedPolicy(p.source(),
                group.principal().map(GroupPaths::name).orElse("") + "/" + p.name(), SourcedPolicy.Origin.GROUP,
                p.parsed(), p.awsAuthored())).toList();
        List<SourcedPolicy> without = new ArrayList<>(now.permissions());
        List<String> known = new ArrayList<>();
        boolean visible = true;
        for (SourcedPolicy p : lent) {
            // Once each: the same policy can reach the user through another group or directly.
            int at = held(without, p.source());
            if (at >= 0) {
                without.remove(at);
            } else {
                visible = false;
            }
        }
        Subject after = now;
        if (!visible) {
            // IAM does not show the membership yet (eventually consistent): the user with the group's policies.
            List<SourcedPolicy> all = new ArrayList<>(without);
            all.addAll(lent);
            after = new Subject(now.source(), now.principal(), now.type(), now.trust(), all, now.boundary());
            known.add(user + " is not shown in the group yet: judged with the group's policies added");
        }
        Subject before = new Subject(now.source(), now.principal(), now.type(), now.trust(), without, now.boundary());
        NewPaths.check(read, after, Optional.of(NewPaths.withoutOthers(before, read)), known);
    }

    /** A group's policy changed: each member, up to {@link #MAX_MEMBERS}, holds it now. */
    static void changed(LiveReading read, Subject group) {
        forMembers(read, group.principal().map(GroupPaths::name).orElse(""), user -> NewPaths.without(user, read.change)
                .map(b -> NewPaths.withoutOthers(b, read)), List.of());
    }

    /**
     * A group's policy removed ({@code DeleteGroupPolicy}, {@code DetachGroupPolicy}): only a Deny it held can have
     * kept its members from a path. A deleted inline policy's document is gone (CloudTrail names it only), so each
     * member's paths are reported as possibly opened; a detached managed policy is read, and judged only if it denies.
     */
    static void watched(LiveReading read) {
        if (read.change instanceof IamChange.InlinePolicyDeleted c && c.to().kind() == PrincipalRef.Kind.GROUP) {
            forMembers(read, c.to().name(), user -> Optional.empty(), List.of("the deleted policy `" + c.policyName()
                    + "` is not known: the path may have been there before"));
        } else if (read.change instanceof IamChange.PolicyDetached c && c.to().kind() == PrincipalRef.Kind.GROUP) {
            Optional<SourcedPolicy> removed = read.managed(c.policyArn(), SourcedPolicy.Origin.GROUP);
            boolean denies = removed.flatMap(SourcedPolicy::document)
                    .map(d -> d.statements().stream().anyMatch(st -> !st.isAllow())).orElse(false);
            if (denies) {
                forMembers(read, c.to().name(), user -> Optional.of(new Subject(user.source(), user.principal(),
                        user.type(), user.trust(), plus(user.permissions(), removed.get()), user.boundary())), List.of());
            }
        }
    }

    private static void forMembers(LiveReading read, String name, Function<Subject, Optional<Subject>> before,
                                   List<String> notes) {
        List<String> members;
        try {
            members = read.state.groupMembers(name, MAX_MEMBERS + 1);
        } catch (LookupFailed failed) {
            read.evidence.notes.add("paths: the members of group " + name + " could not be listed ("
                    + failed.getMessage() + "): the paths the change opens for them are not checked");
            return;
        }
        List<String> known = new ArrayList<>(notes);
        if (members.size() > MAX_MEMBERS) {
            known.add("group " + name + " has more than " + MAX_MEMBERS + " members: only the first were judged");
            members = members.subList(0, MAX_MEMBERS);
        }
        for (String member : members) {
            PrincipalRef ref = new PrincipalRef(PrincipalRef.Kind.USER, member);
            try {
                Subject user = read.live(ref, Overrides.NONE);
                NewPaths.check(read, user, before.apply(user), known);
            } catch (LookupFailed failed) {
                read.evidence.notes.add("paths: member " + ref + " of group " + name + " could not be read ("
                        + failed.getMessage() + ")");
            }
        }
    }

    private static List<SourcedPolicy> plus(List<SourcedPolicy> policies, SourcedPolicy more) {
        List<SourcedPolicy> out = new ArrayList<>(policies);
        out.add(more);
        return out;
    }

    private static int held(List<SourcedPolicy> policies, String source) {
        for (int i = 0; i < policies.size(); i++) {
            if (policies.get(i).origin() == SourcedPolicy.Origin.GROUP && policies.get(i).source().equals(source)) {
                return i;
            }
        }
        return -1;
    }

    private static String name(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }
}
