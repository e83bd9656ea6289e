package io.iamguardrail.rules;

import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** How findings name places: a statement, and the policy it is in when several policies are evaluated together. */
final class Where {

    private Where() {
    }

    /** {@code statement `AllowAll` (#2)}, followed by {@code of policy `x`} when the subject has several policies. */
    static String statement(Permissions.Grant grant, Subject subject) {
        String label = grant.statement().label();
        return subject.permissions().size() > 1 || notWrittenHere(grant.policy())
                ? label + " of `" + grant.policy().name() + "`" : label;
    }

    /** A policy a template names rather than writes out (an AWS managed policy, a SAM policy template). */
    private static boolean notWrittenHere(SourcedPolicy policy) {
        return policy.name().startsWith("AWS managed policy ") || policy.name().startsWith("SAM policy template ");
    }

    /** The other statements that contribute, for a finding located at the first one. */
    static List<Finding.SourceRef> related(List<Permissions.Grant> grants) {
        List<Finding.SourceRef> refs = new ArrayList<>();
        for (int i = 1; i < grants.size(); i++) {
            Permissions.Grant g = grants.get(i);
            refs.add(new Finding.SourceRef(g.policy().source(), g.statement().actions().at()));
        }
        return refs;
    }

    /** Distinct policy names among grants, for "together" messages. */
    static Set<String> policies(List<Permissions.Grant> grants) {
        Set<String> names = new LinkedHashSet<>();
        grants.forEach(g -> names.add(g.policy().name()));
        return names;
    }

    static String source(Permissions.Grant grant) {
        return grant.policy().source();
    }

    static boolean isUser(Subject subject, SourcedPolicy policy) {
        return subject.type() == Subject.Type.USER
                && (policy.origin() == SourcedPolicy.Origin.INLINE || policy.origin() == SourcedPolicy.Origin.MANAGED);
    }
}
